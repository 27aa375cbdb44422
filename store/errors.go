package store

import "github.com/tianbao-edu/tianbao/fail"

func staleErr() error {
	return fail.New(fail.Conflict, "数据已被他人修改，请刷新后重试", "It was changed by someone else; reload and try again")
}
