package reports

import (
	"strconv"

	"github.com/xuri/excelize/v2"
)

// stream is one sheet written row by row with a StreamWriter: a bold,
// frozen header row, column widths fixed up front, an autofilter over
// whatever rows were written. A sheet that reaches Excel's row limit
// continues on a new sheet ("…(续2)") at the end of the workbook.
type stream struct {
	f      *excelize.File
	st     *styles
	names  sheetNames
	title  string // the sheet's title and tail, for continuation sheets
	tail   string
	cols   []col
	freeze int
	marks  []int // 1-based columns holding ✓/✗
	cells  []any // reused for every row
	part   int

	name string
	sw   *excelize.StreamWriter
	rows int
}

// rowLimit is the most rows a sheet holds (Excel's limit; lowered in tests).
var rowLimit = excelize.TotalRows

// col is a column of a streamed sheet: its title and content width.
type col struct {
	title string
	width int
}

// newStream adds a sheet named after title and tail (see sheetNames.take)
// and writes its header. freeze is the number of leading columns kept in
// view when scrolling sideways.
func newStream(f *excelize.File, st *styles, names sheetNames, title, tail string, cols []col, freeze int) (*stream, error) {
	s := &stream{f: f, st: st, names: names, title: title, tail: tail, cols: cols, freeze: freeze, cells: make([]any, len(cols))}
	return s, s.open(names.take(title, tail, title))
}

func (s *stream) open(name string) error {
	if _, err := s.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := s.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	s.name, s.sw, s.rows = name, sw, 0
	s.part++
	for i, c := range s.cols {
		w := max(c.width, min(width(c.title), 24))
		if err := sw.SetColWidth(i+1, i+1, colWidth(w)); err != nil {
			return err
		}
	}
	panes := &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}
	if s.freeze > 0 {
		top, _ := excelize.CoordinatesToCellName(s.freeze+1, 2)
		panes = &excelize.Panes{Freeze: true, XSplit: s.freeze, YSplit: 1, TopLeftCell: top, ActivePane: "bottomRight"}
	}
	if err := sw.SetPanes(panes); err != nil {
		return err
	}
	head := make([]any, len(s.cols))
	for i, c := range s.cols {
		head[i] = excelize.Cell{StyleID: s.st.header, Value: clean(c.title)}
	}
	return s.write(head)
}

// row returns the cleared cell buffer for the next row.
func (s *stream) row() []any {
	clear(s.cells)
	return s.cells
}

// write appends one row, moving to a continuation sheet when this one is full.
func (s *stream) write(cells []any) error {
	if s.rows == rowLimit {
		if err := s.close(); err != nil {
			return err
		}
		if err := s.open(s.names.take(s.title, s.tail+"(续"+strconv.Itoa(s.part+1)+")", s.title)); err != nil {
			return err
		}
	}
	s.rows++
	return s.sw.SetRow("A"+strconv.Itoa(s.rows), cells)
}

// close adds the autofilter and the red marks, then flushes the sheet.
func (s *stream) close() error {
	last, err := excelize.CoordinatesToCellName(len(s.cols), max(s.rows, 2))
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
