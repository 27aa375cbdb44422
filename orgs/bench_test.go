package orgs_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/orgs"
)

// BenchmarkImport imports a new school list of 5,000 (a city) and 45,000
// rows (a province) into an empty tree and reports rows per second.
func BenchmarkImport(b *testing.B) {
	for _, n := range []int{5_000, 45_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			data := bigSheet(b, n, 900)
			for range b.N {
				b.StopTimer()
				s := newTree(b)
				b.StartTimer()
				d, err := orgs.Import(ctx, s, admin, bytes.NewReader(data), orgs.Options{MaxBytes: int64(len(data)), Now: now})
				if err != nil || len(d.Created) != n {
					b.Fatalf("created %d of %d: %v", len(d.Created), n, err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// bigSheet is a school list of n rows split over the two districts.
func bigSheet(t testing.TB, n, students int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	row := func(i int, values ...any) {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		if err := sw.SetRow(cell, values); err != nil {
			t.Fatal(err)
		}
	}
	row(1, header...)
	for i := range n {
		dist, name := district1, "上城区"
		if i%2 == 1 {
			dist, name = district2, "西湖区"
		}
		row(i+2, fmt.Sprintf("%s%05d", dist[1:], i), fmt.Sprintf("%s第%d小学", name, i), dist, "小学", "公办", "城区",
			24, students+i%100, "王老师", "0571-8700 1234")
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
