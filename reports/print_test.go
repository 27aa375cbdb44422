package reports

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
)

func repeatWidth(w float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = w
	}
	return out
}

// pageWidths sums the pixels of each printed page of a plan at its scale,
// the repeated columns included on every page after the first.
func pageWidths(p printPlan) []float64 {
	starts := append([]int{1}, p.breaks...)
	rep := 0.0
	for _, w := range p.widths[:p.repeat] {
		rep += colPixels(w)
	}
	var out []float64
	for i, from := range starts {
		to := len(p.widths) + 1
		if i+1 < len(starts) {
			to = starts[i+1]
		}
		px := 0.0
		if i > 0 {
			px = rep
		}
		for _, w := range p.widths[from-1 : to-1] {
			px += colPixels(w)
		}
		out = append(out, px)
	}
	return out
}

func TestPlanPrint(t *testing.T) {
	for _, c := range []struct {
		name   string
		widths []float64
		starts []int
		height float64
		fitted bool // one page wide
		pages  int
		scale  int // split: 0 for any no smaller than minScale; one page wide: 0 for fitted to the width
	}{
		{"narrow: fitted to the width", repeatWidth(12, 6), nil, 0, true, 1, 0},
		{"just fits at the smallest scale: fitted", repeatWidth(10, 17), nil, 0, true, 1, 0},
		{"twice a page: two pages", repeatWidth(10, 30), nil, 0, false, 2, 0},
		{"short enough for one page tall at 80%", repeatWidth(10, 30), nil, 600, false, 2, 83},
		{"too tall for one page at any readable scale", repeatWidth(10, 30), nil, 5000, false, 2, 0},
		{"blocks stay whole", repeatWidth(10, 30), []int{0, 1, 2, 8, 16, 24}, 0, false, 2, 0},
		{"one page wide, a few rows too tall: one page at 81%", repeatWidth(12, 6), nil, 600, true, 1, 81},
		{"one page wide, too tall for one page at any readable scale: fitted", repeatWidth(12, 6), nil, 5000, true, 1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := printPlan{widths: c.widths, repeat: 2, starts: c.starts}.plan(c.height)
			if fitted := len(p.breaks) == 0; fitted != c.fitted || len(p.breaks)+1 != c.pages {
				t.Fatalf("breaks %v: want fitted %v over %d pages", p.breaks, c.fitted, c.pages)
			}
			if c.fitted {
				if p.scale != c.scale {
					t.Errorf("one page wide at scale %d, want %d (0: fitted to the width)", p.scale, c.scale)
				}
				return
			}
			if p.scale < minScale || p.scale > 100 || c.scale != 0 && p.scale > c.scale {
				t.Errorf("scale %d", p.scale)
			}
			for i, px := range pageWidths(p) {
				if px*float64(p.scale)/100 > printWidth {
					t.Errorf("page %d is %.0f px wide at %d%%, the page holds %.0f", i+1, px, p.scale, printWidth)
				}
			}
			if c.height > 0 && c.height*minScale/100 <= rowsHeight && c.height*float64(p.scale)/100 > rowsHeight {
				t.Errorf("%.0f points at %d%% do not fit one page tall", c.height, p.scale)
			}
			for _, b := range p.breaks {
				if c.starts != nil && !slices.Contains(c.starts, b-1) {
					t.Errorf("page break before column %d splits a block %v", b, c.starts)
				}
			}
		})
	}
}

// TestEverySheetPrints: every sheet of the drive workbook prints on A4
// landscape with its header rows repeated and the page footer; a sheet
// wider than a page at a readable scale repeats the school code and name.
func TestEverySheetPrints(t *testing.T) {
	f := openBook(t, exportFixture(t))
	for _, sheet := range f.GetSheetList() {
		p := printSnapshot(t, f, sheet)
		if p[0] != "paper=9 orientation=landscape" || !slices.Contains(p, "footer="+footer) {
			t.Errorf("%s: %q", sheet, p)
		}
		titles := ""
		for _, s := range p {
			if len(s) > 13 && s[:13] == "Print_Titles=" {
				titles = s
			}
		}
		head := "$5:$5"
		if sheet == sheetUpward {
			head = "$5:$7"
		}
		split := slices.ContainsFunc(p, func(s string) bool { return strings.HasPrefix(s, "colBreaks=") })
		if !bytes.HasSuffix([]byte(titles), []byte(head)) || split != bytes.Contains([]byte(titles), []byte("$A:$B")) {
			t.Errorf("%s: print titles %q (split over pages: %v)", sheet, titles, split)
		}
	}
}

// TestNumbersKeepEveryDigit: a rate is stored with every digit of the
// float64 it is, on the summary (written cell by cell) and on streamed
// sheets alike; excelize on its own cuts numbers to 15 significant digits.
func TestNumbersKeepEveryDigit(t *testing.T) {
	third := 100.0 / 3
	wb := fixtureWorkbook()
	wb.Districts[0].Expected, wb.Districts[0].Submitted = 3, 2
	wb.Forms = []*forms.Form{{Version: "v1", Sections: []forms.Section{{Indicator: "canteen", Title: txt("食堂"), Fields: []forms.Field{
		{ID: "rate", Type: forms.Computed, Unit: "%", Label: txt("陪餐率"), Precision: 1}}}}}}
	wb.Rows = seq([]SchoolRow{{School: SchoolInfo{Code: "1", Name: "一校"}, Submission: &SubmissionInfo{Status: "submitted",
		Submitted: true, FormVersion: "v1", Values: forms.Values{"canteen": {"rate": third}}}}})
	var buf bytes.Buffer
	if err := WriteDrive(&buf, wb); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, buf.Bytes())
	for _, c := range []struct {
		sheet, ref string
		want       float64
	}{
		{sheetSummary, "I6", 2.0 / 3},
		{"食堂", "H6", third / 100},
	} {
		raw, _ := f.GetCellValue(c.sheet, c.ref, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue(c.sheet, c.ref)
		if v, err := strconv.ParseFloat(raw, 64); err != nil || v != c.want || shown != "66.7%" && shown != "33.3%" {
			t.Errorf("%s!%s = %q (shown %q), want %v", c.sheet, c.ref, raw, shown, c.want)
		}
	}
}

// TestOneFormatPerKind: rates show as 0.0% whatever their field's type or
// precision, counts without decimals, decimals at their precision.
func TestOneFormatPerKind(t *testing.T) {
	for _, c := range []struct {
		field forms.Field
		in    any
		code  string
		value float64
	}{
		{forms.Field{Type: forms.Percent}, 95.0, fmtRate, 0.95},
		{forms.Field{Type: forms.Percent, Precision: 2}, 95.25, fmtRate, 0.9525},
		{forms.Field{Type: forms.Computed, Unit: "%", Precision: 1}, 50.0, fmtRate, 0.5},
		{forms.Field{Type: forms.Computed, Unit: "%", Precision: 2}, 12.5, fmtRate, 0.125},
		{forms.Field{Type: forms.Integer, Unit: "人"}, 12.0, fmtCount, 12},
		{forms.Field{Type: forms.Computed, Unit: "处"}, 3.0, fmtCount, 3},
		{forms.Field{Type: forms.Decimal, Precision: 2}, 0.725, "0.00", 0.725},
		{forms.Field{Type: forms.Computed, Unit: "学时", Precision: 1}, 20.25, "0.0", 20.25},
	} {
		f := excelize.NewFile()
		st, err := newStyles(f, shanghai())
		if err != nil {
			t.Fatal(err)
		}
		cell, ok := st.fieldCell(&c.field, c.in).(excelize.Cell)
		style, _ := f.GetStyle(cell.StyleID)
		if !ok || cell.Value != c.value || style.CustomNumFmt == nil || *style.CustomNumFmt != c.code {
			t.Errorf("%+v: %#v, want %v shown as %s", c.field, cell, c.value, c.code)
		}
		_ = f.Close()
	}
}
