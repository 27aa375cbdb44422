package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var readmeCommand = regexp.MustCompile(`(?m)\btianbao (init|import-schools|accounts|backup|restore)((?: [^\s#]+)*)\s*$`)

// TestReadmeCommands runs, in order, every tianbao command the README's
// Production section names (init, import-schools, accounts, backup,
// restore) as written, against an embedded database in place of the
// replica set: the paths of the containers' mounts become temporary ones
// and $(date +%F) the date the restore example names.
func TestReadmeCommands(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	section := text[strings.Index(text, "## Production"):strings.Index(text, "## Security")]
	found := readmeCommand.FindAllStringSubmatch(section, -1)
	var names []string
	for _, m := range found {
		names = append(names, m[1])
	}
	for _, want := range []string{"init", "import-schools", "accounts", "backup", "restore"} {
		if !slices.Contains(names, want) {
			t.Fatalf("the Production section names no tianbao %s (found %v)", want, names)
		}
	}
	dir := t.TempDir()
	for _, d := range []string{"in", "out", "backups"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	school := []any{"0420222001", "阳新县实验小学", "", "小学", "公办", "城区", 24, 900, "王老师", ""}
	list, err := os.ReadFile(writeSheet(t, []any{"学校代码", "学校名称", "所属区县", "学段", "办学性质", "城乡", "教室数", "学生数", "联系人", "联系电话"}, school))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "in", "schools.xlsx"), list, 0o644); err != nil {
		t.Fatal(err)
	}
	common := []string{"-mongodb-uri", "", "-data", filepath.Join(dir, "data"), "-no-demo", "-log-level", "error"}
	for _, m := range found {
		args := strings.Fields(strings.ReplaceAll(m[2], "$(date +%F)", "2026-12-01"))
		for i, a := range args {
			for _, mount := range []string{"/in/", "/out/", "/backups/"} {
				if strings.HasPrefix(a, mount) {
					args[i] = filepath.Join(dir, a)
				}
			}
		}
		n := slices.IndexFunc(args, func(a string) bool { return !strings.HasPrefix(a, "-") || a == "-" })
		flags, rest := args, []string(nil)
		if m[1] != "init" && n >= 0 { // flags first, then the file, as the command takes them
			flags, rest = args[:n], args[n:]
		}
		var out bytes.Buffer
		cmd := append(append(append([]string{m[1]}, flags...), common...), rest...)
		if err := run(context.Background(), cmd, &out); err != nil {
			t.Fatalf("tianbao %s%s: %v\n%s", m[1], m[2], err, out.String())
		}
		t.Logf("tianbao %s%s:\n%s", m[1], m[2], out.String())
	}
	accounts := readAccounts(t, filepath.Join(dir, "out", "accounts.xlsx"))
	if len(accounts["school-0420222001"]) != 12 {
		t.Fatalf("accounts: %v", accounts)
	}
	for _, f := range []string{"tianbao-2026-12-01.gz", "before-upgrade.gz"} {
		if _, err := os.Stat(filepath.Join(dir, "backups", f)); err != nil {
			t.Fatal(err)
		}
	}
}
