package reports

import (
	"flag"
	"fmt"
	"io"
	"iter"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
)

// The benchmark drive: 4 indicators × 10 fields (40 fields) and a repeat
// group of 30 classrooms with 4 fields each.
const (
	benchSections   = 4
	benchFields     = 10
	benchRepeatRows = 30
)

var benchTypes = []forms.FieldType{forms.Integer, forms.Decimal, forms.Percent, forms.Boolean, forms.Choice,
	forms.Multi, forms.Date, forms.String, forms.Computed, forms.Integer}

var benchOptions = []forms.Option{{Value: "a", Label: txt("甲类")}, {Value: "b", Label: txt("乙类")}, {Value: "c", Label: txt("丙类")}}

var benchSchools = flag.String("schools", "5000,20000", "comma-separated school counts of the export benchmarks")

func benchSizes(b *testing.B) []int {
	var out []int
	for _, s := range strings.Split(*benchSchools, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			b.Fatalf("-schools: bad count %q", s)
		}
		out = append(out, n)
	}
	return out
}

func benchForm() *forms.Form {
	form := &forms.Form{Version: "bench", Title: txt("月报")}
	for s := range benchSections {
		sec := forms.Section{Indicator: fmt.Sprintf("ind%d", s), Title: txt(fmt.Sprintf("指标%d检查情况", s))}
		for i, typ := range benchTypes {
			sec.Fields = append(sec.Fields, forms.Field{ID: fmt.Sprintf("f%d", i), Type: typ,
				Label: txt(fmt.Sprintf("第%d项", i)), Options: benchOptions, Precision: 1})
		}
		if s == 0 {
			sec.Fields = append(sec.Fields, forms.Field{ID: "rooms", Type: forms.Repeat, Label: txt("教室"), Fields: []forms.Field{
				{ID: "room", Type: forms.String, Label: txt("教室编号")},
				{ID: "lux", Type: forms.Decimal, Label: txt("照度")},
				{ID: "rate", Type: forms.Percent, Label: txt("达标率")},
				{ID: "ok", Type: forms.Boolean, Label: txt("达标")},
			}})
		}
		form.Sections = append(form.Sections, sec)
	}
	return form
}

func benchValue(typ forms.FieldType, i int) any {
	switch typ {
	case forms.Integer, forms.Computed:
		return float64(i % 997)
	case forms.Decimal:
		return float64(i%1000) / 7
	case forms.Percent:
		return float64(i % 101)
	case forms.Boolean:
		return i%3 != 0
	case forms.Choice:
		return benchOptions[i%3].Value
	case forms.Multi:
		return []any{"a", "c"}
	case forms.Date:
		return "2026-11-0" + strconv.Itoa(1+i%9)
	}
	return "第" + strconv.Itoa(i) + "号说明"
}

// benchRows yields n schools lazily, as a database cursor would.
func benchRows(n int) iter.Seq2[SchoolRow, error] {
	return func(yield func(SchoolRow, error) bool) {
		submittedAt := time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC)
		for i := range n {
			row := SchoolRow{School: SchoolInfo{Code: fmt.Sprintf("%08d", i), Name: "第" + strconv.Itoa(i) + "实验学校",
				District: strconv.Itoa(i * 10 / n), DistrictName: "区县" + strconv.Itoa(i*10/n),
				Stages: []string{forms.Primary}, Contact: "张老师", Phone: "13800000000"}}
			if i%20 != 0 {
				sub := &SubmissionInfo{Status: "submitted", SubmittedAt: submittedAt, Late: i%7 == 0, FormVersion: "bench",
					Values: forms.Values{}}
				for s := range benchSections {
					code := fmt.Sprintf("ind%d", s)
					vals := make(map[string]any, benchFields+1)
					for f, typ := range benchTypes {
						vals["f"+strconv.Itoa(f)] = benchValue(typ, i+f)
					}
					if s == 0 {
						rooms := make([]any, benchRepeatRows)
						for r := range rooms {
							rooms[r] = map[string]any{"room": strconv.Itoa(100 + r), "lux": float64(300 + r), "rate": float64(r * 3), "ok": r%4 != 0}
						}
						vals["rooms"] = rooms
					}
					sub.Values[code] = vals
					res := forms.Result{Indicator: code, Status: forms.Compliant}
					if (i+s)%5 == 0 {
						res = forms.Result{Indicator: code, Status: forms.Noncompliant, Reason: txt("低于目标值")}
					}
					sub.Compliance = append(sub.Compliance, res)
				}
				row.Submission = sub
			}
			if !yield(row, nil) {
				return
			}
		}
	}
}

// peakHeap samples the in-use heap until stopped and reports its peak.
func peakHeap() (stop func() float64) {
	runtime.GC()
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(samples)
			peak = max(peak, samples[0].Value.Uint64()+samples[1].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() float64 {
		close(done)
		wg.Wait()
		return float64(peak) / (1 << 20)
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

func BenchmarkExportDrive(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run("schools="+strconv.Itoa(n), func(b *testing.B) {
			form := benchForm()
			total := Counts{Expected: n, Submitted: n - n/20}
			tmp := b.TempDir()
			b.ReportAllocs()
			stop := peakHeap()
			var out countingWriter
			for b.Loop() {
				out = countingWriter{}
				err := WriteDrive(&out, DriveWorkbook{Forms: []*forms.Form{form}, Districts: []Counts{total}, Total: total,
					Rows: benchRows(n), Created: time.Now(), TmpDir: tmp})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(stop(), "peak-heap-MB")
			b.ReportMetric(float64(out.n)/(1<<20), "xlsx-MB")
		})
	}
}

// BenchmarkExportBaseline writes the same cells with bare StreamWriters (no
// styles, no layout, raw values) and excelize's own Write: the floor the
// export is measured against.
func BenchmarkExportBaseline(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run("schools="+strconv.Itoa(n), func(b *testing.B) {
			tmp := b.TempDir()
			b.ReportAllocs()
			stop := peakHeap()
			var out countingWriter
			for b.Loop() {
				out = countingWriter{}
				if err := baselineExport(&out, benchRows(n), tmp); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(stop(), "peak-heap-MB")
			b.ReportMetric(float64(out.n)/(1<<20), "xlsx-MB")
		})
	}
}

func baselineExport(w io.Writer, rows iter.Seq2[SchoolRow, error], tmp string) error {
	f := excelize.NewFile(excelize.Options{TmpDir: tmp})
	defer f.Close()
	names := []string{"ind0", "ind1", "ind2", "ind3", "rooms", "missing", "failing"}
	sws := make([]*excelize.StreamWriter, len(names))
	next := make([]int, len(names))
	for i, name := range names {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		var err error
		if sws[i], err = f.NewStreamWriter(name); err != nil {
			return err
		}
	}
	put := func(i int, cells []any) error {
		next[i]++
		return sws[i].SetRow("A"+strconv.Itoa(next[i]), cells)
	}
	cells := make([]any, 7+benchFields+2)
	for row, err := range rows {
		if err != nil {
			return err
		}
		s, sub := row.School, row.Submission
		for sec := range benchSections {
			clear(cells)
			cells[0], cells[1], cells[2], cells[3], cells[4] = s.Code, s.Name, s.DistrictName, "小学", "未填报"
			if sub != nil {
				cells[4], cells[5], cells[6] = "已提交", 46329.4, "否"
				vals := sub.Values[names[sec]]
				for i := range benchFields {
					v := vals["f"+strconv.Itoa(i)]
					if l, ok := v.([]any); ok {
						v = fmt.Sprint(l...)
					}
					cells[7+i] = v
				}
				cells[7+benchFields] = "✓"
				if r := sub.Compliance[sec]; r.Status == forms.Noncompliant {
					cells[7+benchFields], cells[8+benchFields] = "✗", r.Reason.Zh
					if err := put(6, []any{s.Code, s.Name, s.DistrictName, names[sec], r.Reason.Zh}); err != nil {
						return err
					}
				}
			}
			if err := put(sec, cells); err != nil {
				return err
			}
		}
		if sub == nil {
			if err := put(5, []any{s.Code, s.Name, s.DistrictName, "未填报", s.Contact, s.Phone}); err != nil {
				return err
			}
			continue
		}
		for i, it := range sub.Values["ind0"]["rooms"].([]any) {
			m := it.(map[string]any)
			if err := put(4, []any{s.Code, s.Name, s.DistrictName, i + 1, m["room"], m["lux"], m["rate"], m["ok"]}); err != nil {
				return err
			}
		}
	}
	for _, sw := range sws {
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return f.Write(w)
}
