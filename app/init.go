package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// The terminal a command may ask questions on (tests replace them).
var (
	stdin    io.Reader = os.Stdin
	terminal           = func() bool {
		fi, err := os.Stdin.Stat()
		return err == nil && fi.Mode()&os.ModeCharDevice != 0
	}
)

// initFlags are the flags of `tianbao init`.
var initFlags = []string{"code", "name", "level", "admin"}

// runInit creates the bureau and its first admin and prints the admin's
// one-time password; run again it changes nothing and says so. Flags not
// given are asked for on a terminal.
func runInit(ctx context.Context, a *application, flags map[string]string, stdout io.Writer) error {
	in := auth.BureauInput{Code: flags["code"], Name: flags["name"], Level: flags["level"], Admin: flags["admin"]}
	if err := ask(&in, stdout); err != nil {
		return err
	}
	b, password, err := a.auth.Init(ctx, in)
	if fail.Is(err, fail.Conflict) && b != nil {
		fmt.Fprintf(stdout, "已完成首次设置，未做任何更改 / Already set up, nothing changed: %s %s (%s), admin %s\n", b.Org, b.Name, b.Kind, b.Admin)
		return nil
	}
	if err != nil {
		var fe *fail.Error
		if errors.As(err, &fe) && len(fe.Fields) > 0 {
			return fmt.Errorf("-%s: %s", fe.Fields[0].Field, fe.Fields[0].Message.Zh+" / "+fe.Fields[0].Message.En)
		}
		return err
	}
	e := store.AuditEntry{At: time.Now().UTC(), By: "cli", Action: "setup", Kind: "org", Object: b.Org,
		Changes: []string{"name=" + b.Name, "kind=" + b.Kind, "admin=" + b.Admin}}
	if err := a.store.InsertAudit(ctx, e); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "教育局 Bureau: %s %s (%s)\n管理员 Admin: %s\n", b.Org, b.Name, b.Kind, b.Admin)
	fmt.Fprintf(stdout, "一次性密码 One-time password (shown once; to be changed at the first sign-in):\n%s\n", password)
	return nil
}

// ask fills in what the flags left out, from the terminal; without one it
// names the missing flags.
func ask(in *auth.BureauInput, stdout io.Writer) error {
	fields := []struct {
		flag   string
		value  *string
		prompt string
	}{
		{"code", &in.Code, "教育局行政区划代码 Bureau's division code (e.g. 420222)"},
		{"name", &in.Name, "教育局名称 Bureau's name (e.g. 阳新县教育局)"},
		{"level", &in.Level, "级别 Level: province, city or county"},
		{"admin", &in.Admin, "管理员用户名 Admin's username"},
	}
	var missing []string
	for _, f := range fields {
		if strings.TrimSpace(*f.value) == "" {
			missing = append(missing, "-"+f.flag)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if !terminal() {
		return fmt.Errorf("usage: tianbao init -code CODE -name NAME -level province|city|county -admin USERNAME (missing %s)", strings.Join(missing, " "))
	}
	r := bufio.NewReader(stdin)
	for _, f := range fields {
		for strings.TrimSpace(*f.value) == "" {
			fmt.Fprintf(stdout, "%s: ", f.prompt)
			line, err := r.ReadString('\n')
			*f.value = strings.TrimSpace(line)
			if err != nil && *f.value == "" {
				return fmt.Errorf("init: no answer for -%s", f.flag)
			}
		}
	}
	return nil
}
