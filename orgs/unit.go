package orgs

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// UnitInput is a unit between the bureau and its schools — a 区县教育局, a
// 镇街教育办 or 中心校, a 学区 — created or changed through the API.
type UnitInput struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Parent string `json:"parent"`
	Closed bool   `json:"closed"`
}

var unitCode = regexp.MustCompile(`^[0-9A-Za-z]{4,12}$`)

// unitKinds are the kinds a unit below the bureau may have.
var unitKinds = []string{store.KindCity, store.KindCounty, store.KindDistrict, store.KindTown, store.KindArea}

// SaveUnit creates (create true) or renames, re-kinds, closes or reopens a
// unit below one the caller manages. A unit stays where it is: its
// schools, users and submissions carry its path. A unit with open schools
// or units below it cannot close.
func SaveUnit(ctx context.Context, s *store.Store, u *store.User, in UnitInput, create bool, now time.Time) (*store.Org, []string, error) {
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case !unitCode.MatchString(in.ID):
		return nil, nil, fail.Field("id", "pattern", "单位代码为 4–12 位数字或字母", "the unit code is 4–12 letters or digits")
	case in.Name == "" || utf8.RuneCountInString(in.Name) > 50 || !forms.PlainLine(in.Name):
		return nil, nil, fail.Field("name", "required", "请填写 1–50 字的单位名称，不含换行等控制字符", "name: 1–50 characters, without line breaks or other control characters")
	case !slices.Contains(unitKinds, in.Kind):
		return nil, nil, fail.Field("kind", "option", "类型须为 "+strings.Join(unitKinds, "、"), "kind must be one of "+strings.Join(unitKinds, ", "))
	}
	tree, err := s.Tree(ctx)
	if err != nil {
		return nil, nil, err
	}
	old := tree.Org(in.ID)
	switch {
	case create && old != nil:
		return nil, nil, unitCodeTaken()
	case !create && (old == nil || !slices.Contains(old.Path, u.Org) || old.ID == u.Org):
		return nil, nil, fail.NotFoundf("单位", "Unit")
	case !create && old.Kind == store.KindSchool:
		return nil, nil, fail.Field("id", "kind", "这是学校，请在学校信息中修改", "this is a school: change it as a school")
	case !create && in.Parent != "" && in.Parent != old.Parent:
		return nil, nil, fail.Field("parent", "move", "单位不能改换上级", "a unit cannot move to another parent")
	}
	if !create {
		in.Parent = old.Parent
	}
	parent := tree.Org(in.Parent)
	if parent == nil || parent.Kind == store.KindSchool || parent.Closed || !slices.Contains(parent.Path, u.Org) {
		return nil, nil, fail.Field("parent", "not_found", "上级单位不存在或不在您的管理范围内", "no such parent unit in your scope")
	}
	if in.Closed && (old == nil || !old.Closed) {
		for _, below := range tree.Under(in.ID) {
			if below.ID != in.ID && !below.Closed {
				return nil, nil, fail.Field("closed", "open_below", "该单位下还有未撤销的学校或单位，请先撤销或移交它们",
					"schools or units below it are open: close them first")
			}
		}
	}
	o := &store.Org{ID: in.ID, Name: in.Name, Kind: in.Kind, Parent: parent.ID, Path: append(slices.Clone(parent.Path), in.ID),
		Closed: in.Closed, UpdatedAt: now}
	if create {
		if err := s.InsertOrg(ctx, o); err != nil {
			if fail.Is(err, fail.Conflict) {
				return nil, nil, unitCodeTaken()
			}
			return nil, nil, err
		}
		return o, nil, nil
	}
	if err := s.ReplaceOrg(ctx, o); err != nil {
		return nil, nil, err
	}
	return o, changedFields(old, o), nil
}

func unitCodeTaken() error {
	return &fail.Error{Code: fail.Conflict, Message: forms.Text{Zh: "该代码已被使用", En: "The code is taken"},
		Fields: []forms.FieldError{{Field: "id", Code: "taken", Message: forms.Text{Zh: "该代码已被使用", En: "the code is taken"}}}}
}
