package orgs_test

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/orgs"
)

// FuzzParseSchools checks that no input makes the parser panic, and that
// what it accepts is well formed. The committed corpus holds a valid
// sheet, a sheet of bad rows and a few broken files.
func FuzzParseSchools(f *testing.F) {
	f.Add(workbook(f, header, []any{"0330102001", "实验小学", "上城区", "小学、初中", "公办", "城区", 24, 900, "王老师", "0571-87001234"}))
	f.Add([]byte("PK\x03\x04"))
	code := regexp.MustCompile(`^\d{10}$`)
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, errs, err := orgs.ParseSchools(bytes.NewReader(data), 1<<20)
		if err != nil {
			var fe *fail.Error
			if !errorsAs(err, &fe) || fe.Message.Zh == "" || rows != nil || errs != nil {
				t.Fatalf("err = %#v with %d rows, %d errors", err, len(rows), len(errs))
			}
			return
		}
		for _, r := range rows {
			if !code.MatchString(r.Code) || r.Row < 2 || r.Name == "" || len(r.Stages) == 0 || r.Classrooms < 0 || r.Students < 0 {
				t.Fatalf("accepted a bad row: %+v", r)
			}
		}
		for _, e := range errs {
			if e.Row < 1 || e.Code == "" || e.Message.Zh == "" || e.Message.En == "" {
				t.Fatalf("malformed row error: %+v", e)
			}
		}
	})
}
