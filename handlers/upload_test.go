package handlers_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/handlers"
)

// zipBomb is a small zip whose worksheet unpacks to 80 MB.
func zipBomb(t *testing.T) string {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, size := range map[string]int{"[Content_Types].xml": 8, "xl/workbook.xml": 11, "xl/worksheets/sheet1.xml": 80 << 20} {
		w, err := z.Create(name)
		must(t, err)
		_, err = w.Write(bytes.Repeat([]byte{' '}, size))
		must(t, err)
	}
	must(t, z.Close())
	return buf.String()
}

// multipartFile is a multipart body with data in the field "file" under the
// given file name, and its content type.
func multipartFile(t *testing.T, name string, data []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile("file", name)
	must(t, err)
	_, err = fw.Write(data)
	must(t, err)
	must(t, w.Close())
	return buf.Bytes(), w.FormDataContentType()
}

// newSchoolSheet is a school list of one new school in district 1.
func newSchoolSheet(t *testing.T) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	for i, row := range [][]any{
		{"学校代码", "学校名称", "所属区县", "学段", "办学性质", "城乡", "教室数", "学生数", "联系人", "联系电话"},
		{"0100001099", "一区新建小学", district1, "小学", "公办", "城区", 6, 200, "赵老师", "13800000099"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		must(t, x.SetSheetRow("Sheet1", cell, &row))
	}
	var buf bytes.Buffer
	_, err := x.WriteTo(&buf)
	must(t, err)
	return buf.Bytes()
}

// TestUploadFileNameIgnored: the name a client gives an uploaded school
// list, however it climbs directories, is never used as a path: the list
// is read as usual and nothing is written under that name.
func TestUploadFileNameIgnored(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	name := "tianbao-" + uuid.NewString() + ".xlsx"
	for _, path := range []string{
		strings.Repeat("../", 30) + strings.TrimPrefix(filepath.ToSlash(dir), "/") + "/" + name,
		strings.Repeat(`..\`, 30) + name,
		filepath.Join(dir, name),
	} {
		body, ct := multipartFile(t, path, newSchoolSheet(t))
		res := f.do("admin", http.MethodPost, "/api/v1/orgs/import?dryRun=1", body, map[string]string{"Content-Type": ct})
		if res.status != 200 || !bytes.Contains(res.body, []byte("0100001099")) {
			t.Fatalf("%s: %d %s", path, res.status, res.body)
		}
		if bytes.Contains(res.body, []byte("tianbao-")) {
			t.Errorf("the file name is echoed: %s", res.body)
		}
	}
	wd, err := os.Getwd()
	must(t, err)
	for _, d := range []string{dir, os.TempDir(), wd} {
		if _, err := os.Stat(filepath.Join(d, name)); !os.IsNotExist(err) {
			t.Errorf("the upload was written as %s: %v", filepath.Join(d, name), err)
		}
	}
}

// TestSchoolListOverLimit: a school list over the limit gets 413
// problem+json naming the limit that applies: the server's body limit
// (TIANBAO_BODY_LIMIT, 4 MB by default) when it is the lower, the import's
// own (orgs.MaxUpload, 5 MB) otherwise.
func TestSchoolListOverLimit(t *testing.T) {
	f := newFixture(t)
	base := f.serve()
	serveWith := func(bodyLimit int) string {
		app := handlers.New(handlers.Deps{Store: f.store, Auth: auth.New(f.store, f.clock.Now), Drives: f.drives, BodyLimit: bodyLimit})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		must(t, err)
		go func() { _ = app.Listener(handlers.Listener(ln)) }()
		t.Cleanup(func() { _ = app.Shutdown() })
		return "http://" + ln.Addr().String()
	}
	largerBase, smallerBase := serveWith(16<<20), serveWith(3<<19)

	big := append(newSchoolSheet(t), make([]byte, 9<<19)...) // 4.5 MB
	multi, multiType := multipartFile(t, "学校名单.xlsx", big)
	bigger := append(newSchoolSheet(t), make([]byte, 6<<20)...)
	biggerMulti, biggerType := multipartFile(t, "学校名单.xlsx", bigger)
	xlsx := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	cases := []struct {
		name, base, contentType string
		body                    []byte
		limit                   string
		whole                   bool // sent in full: the server reads it before answering
	}{
		{"raw body over the body limit", base, xlsx, big, "4 MB", false},
		{"multipart over the body limit", base, multiType, multi, "4 MB", false},
		{"over a body limit of 1.5 MB", smallerBase, xlsx, big, "1.5 MB", false},
		{"raw body over the import's limit", largerBase, xlsx, bigger, "5 MB", true},
		{"multipart over the import's limit", largerBase, biggerType, biggerMulti, "5 MB", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for lang, want := range map[string]*regexp.Regexp{
				"zh-CN": regexp.MustCompile(`超过 ` + c.limit + `$`),
				"en":    regexp.MustCompile(`larger than ` + c.limit + `$`),
			} {
				conn, err := net.Dial("tcp", strings.TrimPrefix(c.base, "http://"))
				must(t, err)
				defer conn.Close()
				fmt.Fprintf(conn, "POST /api/v1/orgs/import?dryRun=1 HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\n"+
					"Authorization: Bearer %s\r\nAccept-Language: %s\r\nContent-Length: %d\r\n\r\n", c.contentType, f.tokens["admin"], lang, len(c.body))
				if c.whole {
					go func() { _, _ = conn.Write(c.body) }() // the server may answer before reading it all
				}
				res, err := http.ReadResponse(bufio.NewReader(conn), nil)
				must(t, err)
				raw, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusRequestEntityTooLarge || res.Header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("%s: %d %s %s", lang, res.StatusCode, res.Header.Get("Content-Type"), raw)
				}
				checkProblem(t, res.StatusCode, raw, "-")
				var p struct{ Title string }
				must(t, json.Unmarshal(raw, &p))
				if !want.MatchString(p.Title) {
					t.Errorf("%s: title %q does not name the %s limit", lang, p.Title, c.limit)
				}
			}
		})
	}
}
