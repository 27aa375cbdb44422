package reports

import (
	"strconv"

	"github.com/xuri/excelize/v2"
)

// stream is one sheet written row by row with a StreamWriter: the title
// block, a bold header row (frozen, filtered, repeated on every printed
// page), column widths fixed up front, every cell ruled. A sheet that
// reaches Excel's row limit continues on a new sheet ("…(续2)") at the end
// of the workbook.
type stream struct {
	f       *excelize.File
	st      *styles
	names   sheetNames
	head    heading
	subject string // the sheet's subject and note in the title block
	note    string
	title   string // the sheet's title and tail, for continuation sheets
	tail    string
	cols    []col
	freeze  int
	marks   []int           // 1-based columns holding ✓/✗
	expect  int             // rows expected, to plan the printed pages (0: unknown)
	empty   string          // a line saying so when the sheet has no rows ("": none)
	cells   []any           // reused for every row
	boxes   []excelize.Cell // the cells styled by write, reused for every row
	part    int

	name string
	sw   *excelize.StreamWriter
	rows int
}

// rowLimit is the most rows a sheet holds (Excel's limit; lowered in tests).
var rowLimit = excelize.TotalRows

// col is a column of a streamed sheet: its title and width, and whether
// its text wraps (a row grows to show it whole) or stays on one line (and
// is cut at the next cell, so rows stay one line tall and a sheet of a few
// dozen schools prints on one page).
type col struct {
	title string
	width float64
	wrap  bool
}

// start adds the sheet, named after title and tail (see sheetNames.take),
// and writes its title block and header. freeze is the number of leading
// columns kept in view when scrolling sideways, and repeated on every page
// when the sheet prints wider than one.
func (s *stream) start() (*stream, error) {
	s.cells, s.boxes = make([]any, len(s.cols)), make([]excelize.Cell, len(s.cols))
	return s, s.open(s.names.take(s.title, s.tail, s.title))
}

// widths are the column widths.
func (s *stream) widths() []float64 {
	out := make([]float64, len(s.cols))
	for i, c := range s.cols {
		out[i] = c.width
	}
	return out
}

func (s *stream) open(name string) error {
	if _, err := s.f.NewSheet(name); err != nil {
		return err
	}
	widths := s.widths()
	titles := make([]string, len(s.cols))
	total := 0.0
	for i, c := range s.cols {
		titles[i] = clean(c.title)
		total += c.width
	}
	height := s.head.height(s.note, total) + headerHeight(titles, widths) + float64(s.expect)*rowHeight
	plan := planPrint(widths, s.freeze, height)
	if err := plan.sheetProps(s.f, name); err != nil {
		return err
	}
	sw, err := s.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	s.name, s.sw, s.rows = name, sw, 0
	s.part++
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	top, _ := excelize.CoordinatesToCellName(s.freeze+1, headRow+1)
	panes := &excelize.Panes{Freeze: true, YSplit: headRow, TopLeftCell: top, ActivePane: "bottomLeft"}
	if s.freeze > 0 {
		panes.XSplit, panes.ActivePane = s.freeze, "bottomRight"
	}
	if err := sw.SetPanes(panes); err != nil {
		return err
	}
	if err := s.head.write(streamRows{sw}, s.st, widths, plan.firstPage(), plan.noteFrom(), s.subject, s.note); err != nil {
		return err
	}
	head := make([]any, len(s.cols))
	for i := range s.cols {
		head[i] = excelize.Cell{StyleID: s.st.header, Value: titles[i]}
	}
	s.rows = headRow
	if err := (streamRows{sw}).row(headRow, head, headerHeight(titles, widths)); err != nil {
		return err
	}
	return plan.apply(s.f, name, headRow, headRow)
}

// row returns the cleared cell buffer for the next row.
func (s *stream) row() []any {
	clear(s.cells)
	return s.cells
}

// write appends one row, moving to a continuation sheet when this one is
// full. Cells that are not styled already get the ruled text style of
// their column; a row whose wrapping text takes more than a line is made
// tall enough to show it.
func (s *stream) write(cells []any) error {
	if s.rows == rowLimit {
		if err := s.close(); err != nil {
			return err
		}
		if err := s.open(s.names.take(s.title, s.tail+"(续"+strconv.Itoa(s.part+1)+")", s.title)); err != nil {
			return err
		}
	}
	lines := 1
	for i, c := range cells {
		if _, ok := c.(excelize.Cell); ok {
			continue
		}
		style := s.st.line
		if s.cols[i].wrap {
			style = s.st.plain
			if t, ok := c.(string); ok && width(t) > int(s.cols[i].width)-1 {
				lines = max(lines, linesFor(t, s.cols[i].width, cellSize))
			}
		}
		s.boxes[i] = excelize.Cell{StyleID: style, Value: c}
		cells[i] = &s.boxes[i] // a pointer: no allocation per cell
	}
	s.rows++
	if lines > 1 {
		return s.sw.SetRow("A"+strconv.Itoa(s.rows), cells, excelize.RowOpts{Height: float64(lines)*lineHeight(cellSize) + 3})
	}
	return s.sw.SetRow("A"+strconv.Itoa(s.rows), cells)
}

// close adds the line saying the sheet is empty, if it is and has one, the
// autofilter and the red marks, then flushes the sheet.
func (s *stream) close() error {
	if s.rows == headRow && s.empty != "" {
		cells := s.row()
		cells[0] = excelize.Cell{StyleID: s.st.line, Value: s.empty}
		if err := s.write(cells); err != nil {
			return err
		}
		if err := mergeRun(streamRows{s.sw}, s.rows, 1, len(s.cols)); err != nil {
			return err
		}
	}
	first, _ := excelize.CoordinatesToCellName(1, headRow)
	last, err := excelize.CoordinatesToCellName(len(s.cols), max(s.rows, headRow+1))
	if err != nil {
		return err
	}
	if err := s.f.AutoFilter(s.name, first+":"+last, nil); err != nil {
		return err
	}
	if err := printArea(s.f, s.name, len(s.cols), max(s.rows, headRow+1)); err != nil {
		return err
	}
	for _, c := range s.marks {
		from, _ := excelize.CoordinatesToCellName(c, headRow+1)
		to, _ := excelize.CoordinatesToCellName(c, max(s.rows, headRow+1))
		if err := s.st.redIfFailed(s.name, from+":"+to); err != nil {
			return err
		}
	}
	return s.sw.Flush()
}
