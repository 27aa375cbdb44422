package orgs

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
)

// Limits of an import.
const (
	MaxUpload = 5 << 20 // largest workbook accepted, in bytes
	MaxRows   = 50_000  // most school rows in one workbook
	MaxErrors = 1_000   // row errors reported before parsing stops

	maxUnzip    = 64 << 20 // all parts of the workbook, uncompressed
	maxUnzipXML = 16 << 20 // one worksheet or the string table kept in memory
	headerScan  = 10       // rows searched for the header
	maxCount    = 1_000_000
	maxCell     = 1024      // bytes of a cell looked at
	maxCells    = 2_000_000 // cells read, blanks before the last value of a row included
)

var (
	codeRe  = regexp.MustCompile(`^\d{10}$`)
	phoneRe = regexp.MustCompile(`^[0-9 +\-]{7,20}$`)
	oleMark = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
)

// SchoolRow is one valid row of the school list.
type SchoolRow struct {
	Row        int    // Excel's 1-based row number
	Code       string // the 10-digit school code
	Name       string
	District   string // as written: a district's name or code
	Stages     []string
	Public     bool // 公办
	Urban      bool // 城区 or 镇区
	Classrooms int
	Students   int
	Contact    string
	Phone      string
	Closed     *bool // nil when the sheet does not say
}

// RowError is a problem with one cell of the sheet, or with a whole row
// when Column is empty.
type RowError struct {
	Row     int        `json:"row"`
	Column  string     `json:"column,omitempty"`
	Code    string     `json:"code"`
	Message forms.Text `json:"message"`
}

func rowErr(row int, col, code, zh, en string) RowError {
	return RowError{Row: row, Column: col, Code: code, Message: forms.Text{Zh: zh, En: en}}
}

// ParseSchools reads the school list on the first sheet of an xlsx
// workbook of at most maxBytes. It returns the valid rows and an error for
// every bad cell (rows with bad cells are left out, so Plan does not check
// their districts); the error return is for a workbook that cannot be read
// at all (too large, not xlsx, no header), always a *fail.Error.
func ParseSchools(r io.Reader, maxBytes int64) ([]SchoolRow, []RowError, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, nil, fail.Wrap(fail.Invalid, err, "读取文件失败", "Unable to read the file")
	}
	if int64(len(data)) > maxBytes {
		return nil, nil, fail.New(fail.TooLarge, fmt.Sprintf("文件超过 %d MB", maxBytes>>20),
			fmt.Sprintf("The file is larger than %d MB", maxBytes>>20))
	}
	if err := checkPackage(data); err != nil {
		return nil, nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzip, UnzipXMLSizeLimit: maxUnzipXML})
	if err != nil {
		return nil, nil, notXLSX(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, fail.New(fail.Invalid, "工作簿中没有工作表", "The workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, nil, notXLSX(err)
	}
	defer rows.Close()
	p := &parser{seen: map[string]int{}}
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, notXLSX(err)
		}
		if p.cells += len(cells); p.cells > maxCells {
			return nil, nil, fail.New(fail.TooLarge, "表格内容过多：请只保留学校名单这一张表的数据",
				"The sheet holds too many cells: keep only the school list")
		}
		for i, c := range cells {
			if len(c) > maxCell {
				cells[i] = c[:maxCell]
			}
		}
		if done, err := p.line(n, cells); err != nil || done {
			return p.rows, p.errs, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, nil, notXLSX(err)
	}
	if p.header == nil {
		return nil, nil, fail.New(fail.Invalid,
			fmt.Sprintf("前 %d 行中找不到表头“%s”", headerScan, ColCode),
			fmt.Sprintf("No header %q in the first %d rows", ColCode, headerScan))
	}
	return p.rows, p.errs, nil
}

// checkPackage refuses what is not an xlsx package, or one that would
// unpack to more than maxUnzip bytes, before excelize reads it.
func checkPackage(data []byte) error {
	if bytes.HasPrefix(data, oleMark) {
		return fail.New(fail.Invalid, "这是旧版 .xls 文件或加了密码的工作簿：请另存为 .xlsx（Excel 工作簿）并去掉密码",
			"This is an old .xls file or a password-protected workbook: save it as .xlsx without a password")
	}
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return notXLSX(err)
	}
	var total uint64
	workbook := false
	for _, e := range z.File {
		total += e.UncompressedSize64
		if total > maxUnzip {
			return fail.New(fail.TooLarge, fmt.Sprintf("文件解压后超过 %d MB，拒绝处理", maxUnzip>>20),
				fmt.Sprintf("The file unpacks to more than %d MB and was refused", maxUnzip>>20))
		}
		workbook = workbook || strings.EqualFold(e.Name, "xl/workbook.xml")
	}
	if !workbook {
		return notXLSX(errors.New("no xl/workbook.xml"))
	}
	return nil
}

func notXLSX(err error) error {
	return fail.Wrap(fail.Invalid, err, "无法读取：请上传 .xlsx 格式的 Excel 工作簿",
		"Unreadable: please upload an Excel workbook in .xlsx format")
}

// parser holds the state of one pass over the sheet.
type parser struct {
	header    map[string]int // column name → index
	headerRow int
	rows      []SchoolRow
	errs      []RowError
	seen      map[string]int // code → row
	count     int            // data rows
	cells     int            // cells read
}

// line handles one sheet row; done stops the pass.
func (p *parser) line(n int, cells []string) (done bool, err error) {
	if p.header == nil {
		if n > headerScan {
			return false, nil
		}
		return p.findHeader(n, cells), nil
	}
	if blank(cells) {
		return false, nil
	}
	if p.count++; p.count > MaxRows {
		return true, fail.New(fail.TooLarge, fmt.Sprintf("表格超过 %d 行", MaxRows),
			fmt.Sprintf("The sheet has more than %d rows", MaxRows))
	}
	row, errs := p.parseRow(n, cells)
	if len(errs) == 0 {
		p.rows = append(p.rows, row)
	}
	p.errs = append(p.errs, errs...)
	if len(p.errs) >= MaxErrors {
		p.errs = append(p.errs, rowErr(n, "", "too_many_errors",
			fmt.Sprintf("错误超过 %d 处，后面的行没有检查", MaxErrors),
			fmt.Sprintf("More than %d errors; the rows after this one were not checked", MaxErrors)))
		return true, nil
	}
	return false, nil
}

// findHeader takes row n as the header when it has a 学校代码 cell; it
// reports the required columns missing from it.
func (p *parser) findHeader(n int, cells []string) (done bool) {
	idx := map[string]int{}
	for i, c := range cells {
		name := headerName(c)
		if _, dup := idx[name]; name != "" && !dup {
			idx[name] = i
		}
	}
	if _, ok := idx[ColCode]; !ok {
		return false
	}
	p.header, p.headerRow = idx, n
	for _, col := range Columns {
		if _, ok := idx[col]; !ok && col != ColStatus && col != ColDistrict {
			p.errs = append(p.errs, rowErr(n, col, "missing_column", "缺少“"+col+"”列", "The column "+col+" is missing"))
		}
	}
	return len(p.errs) > 0
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// parseRow checks every cell of a data row.
func (p *parser) parseRow(n int, cells []string) (SchoolRow, []RowError) {
	get := func(col string) string {
		i, ok := p.header[col]
		if !ok || i >= len(cells) {
			return ""
		}
		return strings.TrimSpace(strings.ToValidUTF8(cells[i], ""))
	}
	var errs []RowError
	bad := func(col, code, zh, en string) { errs = append(errs, rowErr(n, col, code, zh, en)) }
	row := SchoolRow{Row: n, Name: get(ColName), District: get(ColDistrict), Contact: get(ColContact), Phone: get(ColPhone)}

	row.Code = p.code(n, get(ColCode), bad)
	switch {
	case row.Name == "":
		bad(ColName, "required", "必须填写学校名称", "The school name is required")
	case utf8.RuneCountInString(row.Name) > 100:
		bad(ColName, "too_long", "学校名称超过 100 个字", "The school name is longer than 100 characters")
	}
	if s := get(ColStages); s == "" {
		bad(ColStages, "required", "必须填写学段", "The stage is required")
	} else if st, unknown := parseStages(s); unknown != "" || len(st) == 0 {
		bad(ColStages, "stage", "不认识的学段“"+echo(unknown)+"”：可填 幼儿园、小学、初中、高中、九年一贯制、完全中学、十二年一贯制，多个用“、”分隔",
			"Unknown stage "+strconv.Quote(echo(unknown))+": use 幼儿园, 小学, 初中, 高中, 九年一贯制, 完全中学 or 十二年一贯制, several separated by 、")
	} else {
		row.Stages = st
	}
	row.Public = p.word(get(ColOwnership), ColOwnership, ownershipWords, "公办、民办", bad)
	row.Urban = p.word(get(ColLocality), ColLocality, localityWords, "城区、镇区、乡村", bad)
	row.Classrooms = count(get(ColClassrooms), ColClassrooms, bad)
	row.Students = count(get(ColStudents), ColStudents, bad)
	if utf8.RuneCountInString(row.Contact) > 50 {
		bad(ColContact, "too_long", "联系人超过 50 个字", "The contact is longer than 50 characters")
	}
	if row.Phone != "" && !phoneRe.MatchString(row.Phone) {
		bad(ColPhone, "phone", "联系电话只能包含数字、空格、“-”和“+”，7 到 20 个字符",
			"The phone may hold digits, spaces, - and +, 7 to 20 characters")
	}
	if s := get(ColStatus); s != "" {
		closed, ok := statusWords[s]
		if !ok {
			bad(ColStatus, "status", "状态只能填 正常、撤销 或 停办", "The status must be 正常, 撤销 or 停办")
		}
		row.Closed = &closed
	}
	return row, errs
}

// code checks a school code; a number that lost its leading zeros gets a
// hint to format the column as text.
func (p *parser) code(n int, v string, bad func(col, code, zh, en string)) string {
	if v == "" {
		bad(ColCode, "required", "必须填写学校代码", "The school code is required")
		return ""
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && !allDigits(v) && f >= 0 && f < 1e12 && f == math.Trunc(f) {
		v = strconv.FormatFloat(f, 'f', 0, 64) // a number written as 9.99901003E8 or 999901003.0
	}
	shown := echo(v)
	switch {
	case allDigits(v) && len(v) < 10:
		bad(ColCode, "code_leading_zeros",
			fmt.Sprintf("学校代码“%s”只有 %d 位：Excel 把它当成数字，丢掉了开头的 0。请把该列设为“文本”格式后重新填写 10 位代码", v, len(v)),
			fmt.Sprintf("The school code %q has only %d digits: Excel stored it as a number and dropped the leading zeros. Format the column as Text and enter the 10-digit code again", v, len(v)))
	case !codeRe.MatchString(v):
		bad(ColCode, "code_format", "学校代码“"+shown+"”不是 10 位数字", "The school code "+strconv.Quote(shown)+" is not 10 digits")
	default:
		if first, dup := p.seen[v]; dup {
			bad(ColCode, "duplicate", fmt.Sprintf("学校代码与第 %d 行重复", first), fmt.Sprintf("The school code repeats row %d", first))
		} else {
			p.seen[v] = n
		}
	}
	return v
}

// word maps a cell to a boolean through a vocabulary.
func (p *parser) word(v, col string, words map[string]bool, allowed string, bad func(col, code, zh, en string)) bool {
	if v == "" {
		bad(col, "required", "必须填写"+col, col+" is required")
		return false
	}
	b, ok := words[v]
	if !ok {
		bad(col, "unknown_value", col+"只能填 "+allowed, col+" must be one of "+allowed)
	}
	return b
}

// count reads a whole non-negative number; empty is 0.
func count(v, col string, bad func(col, code, zh, en string)) int {
	if v == "" {
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	switch {
	case err != nil || math.IsNaN(f) || f != math.Trunc(f):
		bad(col, "count", col+"必须是整数", col+" must be a whole number")
	case f < 0:
		bad(col, "negative", col+"不能是负数", col+" cannot be negative")
	case f > maxCount:
		bad(col, "count", fmt.Sprintf("%s不能超过 %d", col, maxCount), fmt.Sprintf("%s cannot exceed %d", col, maxCount))
	default:
		return int(f)
	}
	return 0
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// echo shortens a value quoted back in a message.
func echo(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}
