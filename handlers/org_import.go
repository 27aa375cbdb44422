package handlers

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/orgs"
	"github.com/tianbao-edu/tianbao/store"
)

// orgImportRoutes registers the school list import and export on the
// signed-in group.
func (h *handler) orgImportRoutes(r fiber.Router) {
	r.Post("/orgs/import", requireRole(store.RoleAdmin, store.RoleDistrict), h.orgImport)
	r.Get("/orgs/export.xlsx", requireRole(store.RoleAdmin, store.RoleDistrict, store.RoleViewer), h.orgExport)
}

// orgImport applies a school list (?dryRun=1 only reports what would
// change; ?createUnits=1 creates the units it names that do not exist).
func (h *handler) orgImport(c *fiber.Ctx) error {
	body, err := uploadedWorkbook(c)
	if err != nil {
		return err
	}
	dry := strings.ToLower(c.Query("dryRun"))
	dryRun := dry == "1" || dry == "true"
	u := user(c)
	d, err := orgs.Import(c.UserContext(), h.Store, u, bytes.NewReader(body), orgs.Options{MaxBytes: orgs.MaxUpload, DryRun: dryRun, Now: time.Now(),
		CreateUnits: c.Query("createUnits") == "1"})
	if err != nil {
		return err
	}
	if !dryRun {
		h.audit(c, "org.import", "orgs", u.Org, []string{fmt.Sprintf("created=%d", len(d.Created)),
			fmt.Sprintf("updated=%d", len(d.Updated)), fmt.Sprintf("unchanged=%d", d.Unchanged)})
	}
	return c.JSON(d.Summary(dryRun))
}

// uploadedWorkbook returns the xlsx sent as the raw body or as the
// multipart field "file"; the name the client gives the file is never used.
// Its limit, orgs.MaxUpload, is reached only when the server's body limit
// is higher: a body over that is refused before the handler, with a
// message naming the body limit (bodyTooLarge).
func uploadedWorkbook(c *fiber.Ctx) ([]byte, error) {
	tooLarge := fail.New(fail.TooLarge, fmt.Sprintf("文件超过 %d MB", orgs.MaxUpload>>20),
		fmt.Sprintf("The file is larger than %d MB", orgs.MaxUpload>>20))
	ct := strings.ToLower(strings.TrimSpace(strings.Split(c.Get(fiber.HeaderContentType), ";")[0]))
	switch ct {
	case xlsxType, fiber.MIMEOctetStream:
		if len(c.Body()) > orgs.MaxUpload {
			return nil, tooLarge
		}
		return c.Body(), nil
	case fiber.MIMEMultipartForm:
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, fail.Field("file", "required", "请在表单字段 file 中上传 .xlsx 文件", "Upload the .xlsx file in the form field file")
		}
		if fh.Size > orgs.MaxUpload {
			return nil, tooLarge
		}
		f, err := fh.Open()
		if err != nil {
			return nil, fail.Wrap(fail.Invalid, err, "读取上传的文件失败", "Unable to read the uploaded file")
		}
		defer f.Close()
		return io.ReadAll(io.LimitReader(f, orgs.MaxUpload+1))
	}
	return nil, fail.New(fail.Unsupported, "请上传 .xlsx 文件（"+xlsxType+"）或用 multipart 表单字段 file",
		"Send the .xlsx file as the body ("+xlsxType+") or as the multipart field file")
}
