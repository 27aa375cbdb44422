package orgs_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/orgs"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestMain starts the database, except when fuzzing: its background work
// would make coverage change under the fuzzer, which needs no database.
func TestMain(m *testing.M) {
	flag.Parse()
	for _, name := range []string{"test.fuzz", "test.fuzzworker"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" && f.Value.String() != "false" {
			os.Exit(m.Run())
		}
	}
	storetest.Main(m)
}

// The test tree: a city and two districts, named as bureaus are.
const (
	city      = "330100"
	district1 = "330102"
	district2 = "330106"
)

var (
	ctx   = context.Background()
	now   = time.Date(2026, 11, 5, 2, 0, 0, 0, time.UTC)
	admin = &store.User{ID: "admin", Role: store.RoleAdmin, Org: city, OrgPath: []string{city}}
	dist1 = &store.User{ID: "dist1", Role: store.RoleDistrict, Org: district1, OrgPath: []string{city, district1}}
)

// header is the bureau's usual header row.
var header = []any{"学校代码", "学校名称", "所属区县", "学段", "办学性质", "城乡", "教室数", "学生数", "联系人", "联系电话"}

// newTree returns a fresh database holding the city and its districts.
func newTree(t testing.TB) *store.Store {
	t.Helper()
	s := storetest.New(t)
	for _, o := range []store.Org{
		{ID: city, Name: "临安市教育局", Kind: store.KindCity, Path: []string{city}},
		{ID: district1, Name: "上城区教育局", Kind: store.KindDistrict, Parent: city, Path: []string{city, district1}},
		{ID: district2, Name: "西湖区教育局", Kind: store.KindDistrict, Parent: city, Path: []string{city, district2}},
	} {
		if err := s.PutOrg(ctx, &o); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// workbook builds an xlsx whose first sheet holds rows; strings become text
// cells and numbers numeric cells, as Excel would store them.
func workbook(t testing.TB, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func importAs(t *testing.T, s *store.Store, u *store.User, data []byte, dryRun bool) (orgs.Diff, error) {
	t.Helper()
	return orgs.Import(ctx, s, u, bytes.NewReader(data), orgs.Options{MaxBytes: orgs.MaxUpload, DryRun: dryRun, Now: now})
}

func schoolCount(t *testing.T, s *store.Store) int64 {
	t.Helper()
	n, err := s.CountOrgs(ctx, store.OrgFilter{Under: city, Kind: store.KindSchool})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func auditCount(t *testing.T, s *store.Store) int {
	t.Helper()
	log, err := s.Audit(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(log)
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
