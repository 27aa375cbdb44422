// Package orgs imports a bureau's school list from an Excel workbook into the
// organisation tree and exports it back in the same layout.
package orgs

import (
	"slices"
	"strings"

	"github.com/tianbao-edu/tianbao/forms"
)

// The column headers of the school list, in the order Export writes them.
const (
	ColCode       = "学校代码"
	ColName       = "学校名称"
	ColDistrict   = "所属单位" // the unit path from the bureau down
	ColStages     = "学段"
	ColOwnership  = "办学性质"
	ColLocality   = "城乡"
	ColClassrooms = "教室数"
	ColStudents   = "学生数"
	ColContact    = "联系人"
	ColPhone      = "联系电话"
	ColStatus     = "状态"
)

// Columns lists every column Export writes; all but 状态 and 所属单位 are
// required on import (a school without a unit is right below the bureau).
var Columns = []string{ColCode, ColName, ColDistrict, ColStages, ColOwnership, ColLocality,
	ColClassrooms, ColStudents, ColContact, ColPhone, ColStatus}

// aliases are other headers bureaus use for the same columns.
var aliases = map[string]string{
	"学校标识码": ColCode, "学校名": ColName, "区县": ColDistrict, "所属区": ColDistrict, "所属区县": ColDistrict,
	"所属镇街": ColDistrict, "所属乡镇": ColDistrict, "所属学区": ColDistrict, "单位": ColDistrict,
	"学校类别": ColStages, "城乡类型": ColLocality, "电话": ColPhone, "学校状态": ColStatus,
}

// headerName normalises a header cell: spaces and a trailing required-mark
// asterisk are dropped, known aliases are mapped.
func headerName(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u3000", " "))
	s = strings.TrimSpace(strings.TrimRight(s, "*＊"))
	if a, ok := aliases[s]; ok {
		return a
	}
	return s
}

// stageWords maps the names of stages and of combined schools to stages.
var stageWords = map[string][]string{
	"幼儿园": {forms.Kindergarten}, "学前": {forms.Kindergarten}, "学前教育": {forms.Kindergarten},
	"小学": {forms.Primary}, "初中": {forms.Junior}, "初级中学": {forms.Junior},
	"高中": {forms.Senior}, "高级中学": {forms.Senior}, "普通高中": {forms.Senior},
	"九年一贯制": {forms.Primary, forms.Junior}, "九年一贯制学校": {forms.Primary, forms.Junior},
	"完全中学":   {forms.Junior, forms.Senior},
	"十二年一贯制": {forms.Primary, forms.Junior, forms.Senior}, "十二年一贯制学校": {forms.Primary, forms.Junior, forms.Senior},
	forms.Kindergarten: {forms.Kindergarten}, forms.Primary: {forms.Primary},
	forms.Junior: {forms.Junior}, forms.Senior: {forms.Senior},
}

// stageNames are the names Export writes.
var stageNames = map[string]string{
	forms.Kindergarten: "幼儿园", forms.Primary: "小学", forms.Junior: "初中", forms.Senior: "高中",
}

// parseStages reads "小学、初中", "九年一贯制" and the like; it returns the
// stages in their natural order and the first word it does not know.
func parseStages(s string) (stages []string, unknown string) {
	words := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune("、,，/／;；+ \u3000", r)
	})
	set := map[string]bool{}
	for _, w := range words {
		st, ok := stageWords[strings.ToLower(w)]
		if !ok {
			return nil, w
		}
		for _, x := range st {
			set[x] = true
		}
	}
	for _, st := range forms.Stages {
		if set[st] {
			stages = append(stages, st)
		}
	}
	return stages, ""
}

// normStages returns stages in their natural order without repeats.
func normStages(in []string) []string {
	var out []string
	for _, st := range forms.Stages {
		if slices.Contains(in, st) {
			out = append(out, st)
		}
	}
	for _, st := range in {
		if !slices.Contains(forms.Stages, st) && !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	return out
}

// stageText writes stages as Export does: "小学、初中".
func stageText(stages []string) string {
	names := make([]string, 0, len(stages))
	for _, st := range normStages(stages) {
		if n, ok := stageNames[st]; ok {
			names = append(names, n)
		} else {
			names = append(names, st)
		}
	}
	return strings.Join(names, "、")
}

// ownership and locality words; true is 公办 and urban.
var (
	ownershipWords = map[string]bool{"公办": true, "公立": true, "民办": false, "私立": false}
	localityWords  = map[string]bool{"城区": true, "镇区": true, "城镇": true, "乡村": false, "农村": false}
	statusWords    = map[string]bool{"正常": false, "在办": false, "撤销": true, "停办": true, "已撤销": true}
)

func ownershipText(public bool) string {
	if public {
		return "公办"
	}
	return "民办"
}

func localityText(urban bool) string {
	if urban {
		return "城区"
	}
	return "乡村"
}

func statusText(closed bool) string {
	if closed {
		return "撤销"
	}
	return "正常"
}

// districtLabel is how a district is named in the sheet: its name without
// the "教育局" suffix.
func districtLabel(name string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(name), "教育局"))
}
