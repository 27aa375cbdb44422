package orgs

import (
	"context"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/store"
)

// SheetName is the name of the sheet Export writes.
const SheetName = "学校名单"

// Export writes the schools under u's org, ordered by code, as an xlsx
// workbook in the layout ParseSchools reads — codes and phones as text
// cells, each school's unit as its path below the bureau — so the file
// imports back unchanged.
func Export(ctx context.Context, s *store.Store, u *store.User, w io.Writer) error {
	tree, err := s.Tree(ctx)
	if err != nil {
		return err
	}
	rootID := u.Org
	if len(u.OrgPath) > 0 {
		rootID = u.OrgPath[0]
	}
	root := tree.Org(rootID)
	if root == nil {
		root = &store.Org{ID: rootID, Path: []string{rootID}}
	}
	names := map[string]string{}
	for _, o := range tree.Under(rootID) {
		names[o.ID] = o.Name
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": what is typed stays text
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := layout(sw, text); err != nil {
		return err
	}
	header := make([]any, len(Columns))
	for i, c := range Columns {
		header[i] = excelize.Cell{StyleID: bold, Value: c}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	n := 1
	for _, o := range tree.Schools(u.Org) {
		n++
		district := ""
		if p := tree.Org(o.Parent); p != nil {
			district = unitLabel(*p, *root, names)
		}
		row := []any{
			excelize.Cell{StyleID: text, Value: o.ID}, o.Name, district, stageText(o.Stages),
			ownershipText(o.Public), localityText(o.Urban), blankZero(o.Classrooms), blankZero(o.Students),
			o.Contact, excelize.Cell{StyleID: text, Value: o.Phone}, statusText(o.Closed),
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// layout sets the column widths and styles and freezes the header row; the
// stream writer takes them before the first row.
func layout(sw *excelize.StreamWriter, text int) error {
	widths := []float64{14, 30, 20, 16, 10, 8, 8, 8, 12, 16, 8}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	for _, col := range []int{1, 10} { // 学校代码, 联系电话
		if err := sw.SetColStyle(col, col, text); err != nil {
			return err
		}
	}
	return sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func blankZero(n int) any {
	if n == 0 {
		return nil
	}
	return n
}
