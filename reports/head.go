package reports

import (
	"math"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// headRow is the header row of every data sheet: the title block fills the
// rows above it, the same on every sheet so a reader skips a fixed number.
const headRow = 5

// heading is the title block of a workbook's sheets: the report's title
// with its period, the reporting unit and the date the table was made.
// Each sheet adds its subject and a note (an indicator's source, or how the
// sheet counts).
type heading struct {
	title string // "2026年12月 学校安全与健康工作月报汇总表"
	unit  string // the bureau reporting
	made  string // "2026年12月20日"
}

func newHeading(title, unit string, made time.Time, loc *time.Location) heading {
	if made.IsZero() {
		made = time.Now()
	}
	return heading{title: clean(title), unit: clean(unit), made: dateZh(made.In(loc))}
}

// dateZh writes a date as official documents do: 2026年12月20日.
func dateZh(t time.Time) string {
	return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}

// rowWriter writes the rows of one sheet, streamed or not.
type rowWriter interface {
	row(n int, cells []any, height float64) error
	merge(from, to string) error
}

// Font sizes of the title block, in points.
const (
	titleSize   = 16
	subjectSize = 12
	unitSize    = 10
	noteSize    = 9
	cellSize    = 11
)

// lineHeight is the height of a line of text of a font size, in points.
func lineHeight(size float64) float64 { return math.Ceil(size*1.35*4) / 4 }

// linesFor is how many lines text takes in a cell span of the given width
// (in characters of the 11-point default font) at a font size: wide
// characters break anywhere, runs of others only at spaces.
func linesFor(text string, span, size float64) int {
	room := max(span-1, 1) * cellSize / size
	lines := 0
	for _, line := range splitLines(text) {
		n, used, word := 1, 0.0, 0.0
		place := func(w float64) {
			if used+w > room && used > 0 {
				n++
				used = 0
			}
			for w > room {
				n++
				w -= room
			}
			used += w
		}
		for _, r := range line {
			switch {
			case wide(r):
				place(word)
				word = 0
				place(2)
			case r == ' ':
				place(word + 1)
				word = 0
			default:
				word++
			}
		}
		place(word)
		lines += n
	}
	return max(lines, 1)
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if r == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// Heights of the title block's rows, in points.
var (
	titleHeight   = lineHeight(titleSize) + 6
	subjectHeight = lineHeight(subjectSize) + 2
	unitHeight    = lineHeight(unitSize) + 2
)

// noteHeight is the height of the note's row over a span of the given width.
func noteHeight(note string, span float64) float64 {
	return float64(linesFor(clean(note), span, noteSize))*lineHeight(noteSize) + 3
}

// height is the height of the title block with a note, in points.
func (h heading) height(note string, span float64) float64 {
	return titleHeight + subjectHeight + unitHeight + noteHeight(note, span)
}

// write fills rows 1 to headRow-1 over the given columns: the title and
// subject centred over the first page's columns (span), the unit on the
// left and the date on the right, then the note from column from (after
// the columns a split sheet repeats on its other pages, where the note
// would be cut).
func (h heading) write(w rowWriter, st *styles, widths []float64, span, from int, subject, note string) error {
	span = max(min(span, len(widths)), 1)
	from = max(min(from, span), 1)
	noteWidth := 0.0
	for _, wd := range widths[from-1 : span] {
		noteWidth += wd
	}
	last, _ := excelize.ColumnNumberToName(span)
	rows := []struct {
		text   string
		style  int
		height float64
	}{
		{h.title, st.title, titleHeight},
		{clean(subject), st.subject, subjectHeight},
	}
	for i, r := range rows {
		n := strconv.Itoa(i + 1)
		if err := w.row(i+1, []any{excelize.Cell{StyleID: r.style, Value: r.text}}, r.height); err != nil {
			return err
		}
		if span > 1 {
			if err := w.merge("A"+n, last+n); err != nil {
				return err
			}
		}
	}
	unit := excelize.Cell{StyleID: st.unit, Value: "填报单位：" + h.unit}
	made := excelize.Cell{StyleID: st.made, Value: "制表日期：" + h.made}
	if span < 2 {
		if err := w.row(3, []any{excelize.Cell{StyleID: st.unit, Value: unit.Value.(string) + "　" + made.Value.(string)}}, unitHeight); err != nil {
			return err
		}
	} else {
		half := (span + 1) / 2
		cells := make([]any, span)
		cells[0], cells[half] = unit, made
		if err := w.row(3, cells, unitHeight); err != nil {
			return err
		}
		if err := mergeRun(w, 3, 1, half); err != nil {
			return err
		}
		if err := mergeRun(w, 3, half+1, span); err != nil {
			return err
		}
	}
	cells := make([]any, from)
	cells[from-1] = excelize.Cell{StyleID: st.note, Value: clean(note)}
	if err := w.row(4, cells, noteHeight(note, noteWidth)); err != nil {
		return err
	}
	return mergeRun(w, 4, from, span)
}

// mergeRun merges columns from..to of one row, when they are two or more.
func mergeRun(w rowWriter, row, from, to int) error {
	if to <= from {
		return nil
	}
	a, _ := excelize.CoordinatesToCellName(from, row)
	b, _ := excelize.CoordinatesToCellName(to, row)
	return w.merge(a, b)
}

// headerHeight is the height of a header row whose titles wrap within
// their columns.
func headerHeight(titles []string, widths []float64) float64 {
	lines := 1
	for i, t := range titles {
		lines = max(lines, linesFor(t, widths[i], cellSize))
	}
	return float64(lines)*lineHeight(cellSize) + 4
}

// streamRows writes rows with a stream writer.
type streamRows struct{ sw *excelize.StreamWriter }

func (s streamRows) row(n int, cells []any, height float64) error {
	cell, _ := excelize.CoordinatesToCellName(1, n)
	if height > 0 {
		return s.sw.SetRow(cell, cells, excelize.RowOpts{Height: height})
	}
	return s.sw.SetRow(cell, cells)
}

func (s streamRows) merge(from, to string) error { return s.sw.MergeCell(from, to) }

// sheetRows writes rows of a sheet kept in memory.
type sheetRows struct {
	f     *excelize.File
	sheet string
}

func (s sheetRows) row(n int, cells []any, height float64) error {
	for i, c := range cells {
		if c == nil {
			continue
		}
		ref, _ := excelize.CoordinatesToCellName(i+1, n)
		v := c
		if cell, ok := c.(excelize.Cell); ok {
			if err := s.f.SetCellStyle(s.sheet, ref, ref, cell.StyleID); err != nil {
				return err
			}
			v = cell.Value
		}
		if err := setValue(s.f, s.sheet, ref, v); err != nil {
			return err
		}
	}
	if height > 0 {
		return s.f.SetRowHeight(s.sheet, n, height)
	}
	return nil
}

func (s sheetRows) merge(from, to string) error { return s.f.MergeCell(s.sheet, from, to) }

// setValue writes a value to a cell kept in memory; numbers keep every
// digit (excelize's default cuts them to 15 significant digits).
func setValue(f *excelize.File, sheet, ref string, v any) error {
	switch x := v.(type) {
	case nil:
		return nil
	case float64:
		return f.SetCellFloat(sheet, ref, x, exactDecimals(x), 64)
	case string:
		return f.SetCellStr(sheet, ref, x)
	}
	return f.SetCellValue(sheet, ref, v)
}

// exactDecimals is the number of decimals that writes v with every digit.
func exactDecimals(v float64) int {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	for i := range len(s) {
		if s[i] == '.' {
			return len(s) - i - 1
		}
	}
	return 0
}
