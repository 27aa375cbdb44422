package reports

import (
	"strconv"

	"github.com/xuri/excelize/v2"
)

// stream is one sheet written row by row with a StreamWriter: a bold,
// frozen header row, column widths fixed up front, an autofilter over
// whatever rows were written.
type stream struct {
	name  string
	sw    *excelize.StreamWriter
	rows  int
	cols  int
	cells []any // reused for every row
	marks []int // 1-based columns holding ✓/✗
	st    *styles
	f     *excelize.File
}

// col is a column of a streamed sheet: its title and content width.
type col struct {
	title string
	width int
}

// newStream adds a sheet and writes its header. freeze is the number of
// leading columns kept in view when scrolling sideways.
func newStream(f *excelize.File, st *styles, name string, cols []col, freeze int) (*stream, error) {
	if _, err := f.NewSheet(name); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	s := &stream{name: name, sw: sw, cols: len(cols), cells: make([]any, len(cols)), st: st, f: f}
	for i, c := range cols {
		w := max(c.width, min(width(c.title), 24))
		if err := sw.SetColWidth(i+1, i+1, colWidth(w)); err != nil {
			return nil, err
		}
	}
	panes := &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}
	if freeze > 0 {
		top, _ := excelize.CoordinatesToCellName(freeze+1, 2)
		panes = &excelize.Panes{Freeze: true, XSplit: freeze, YSplit: 1, TopLeftCell: top, ActivePane: "bottomRight"}
	}
	if err := sw.SetPanes(panes); err != nil {
		return nil, err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: st.header, Value: clean(c.title)}
	}
	return s, s.write(head)
}

// row returns the cleared cell buffer for the next row.
func (s *stream) row() []any {
	clear(s.cells)
	return s.cells
}

// write appends one row.
func (s *stream) write(cells []any) error {
	s.rows++
	return s.sw.SetRow("A"+strconv.Itoa(s.rows), cells)
}

// close adds the autofilter and the red marks, then flushes the sheet.
func (s *stream) close() error {
	last, err := excelize.CoordinatesToCellName(s.cols, max(s.rows, 2))
	if err != nil {
		return err
	}
	if err := s.f.AutoFilter(s.name, "A1:"+last, nil); err != nil {
		return err
	}
	for _, c := range s.marks {
		from, _ := excelize.CoordinatesToCellName(c, 2)
		to, _ := excelize.CoordinatesToCellName(c, max(s.rows, 2))
		if err := s.st.redIfFailed(s.name, from+":"+to); err != nil {
			return err
		}
	}
	return s.sw.Flush()
}
