package orgs_test

import (
	"testing"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/orgs"
	"github.com/tianbao-edu/tianbao/store"
)

func TestImportStaysInScope(t *testing.T) {
	s := newTree(t)
	elsewhere := &store.Org{ID: "0330106001", Name: "西湖区小学", Kind: store.KindSchool, Parent: district2,
		Path: []string{city, district2, "0330106001"}, Stages: []string{"primary"}}
	if err := s.PutOrg(ctx, elsewhere); err != nil {
		t.Fatal(err)
	}
	row := func(code, name, district string) []any {
		return []any{code, name, district, "小学", "公办", "城区", 1, 1, "", ""}
	}
	data := workbook(t, header,
		row("0330102001", "上城区新学校", "上城区"),
		row("0330106002", "西湖区新学校", "西湖区"),
		row("0330106001", "西湖区小学", "上城区"),
	)
	d, err := importAs(t, s, dist1, data, false)
	if !fail.Is(err, fail.Invalid) || len(d.Errors) != 2 {
		t.Fatalf("district import: %v, %+v", err, d.Errors)
	}
	if e := d.Errors[0]; e.Row != 3 || e.Column != orgs.ColDistrict || e.Code != "outside_scope" {
		t.Fatalf("row in another district: %+v", e)
	}
	if e := d.Errors[1]; e.Row != 4 || e.Column != orgs.ColCode || e.Code != "outside_scope" {
		t.Fatalf("school of another district: %+v", e)
	}

	// The city may write both districts, but not move a school or reuse a district's code.
	d, err = importAs(t, s, admin, workbook(t, header, row("0330106001", "西湖区小学", "上城区"), row(district1+"0000", "x", "上城区")), false)
	if !fail.Is(err, fail.Invalid) || len(d.Errors) != 1 || d.Errors[0].Code != "district_changed" {
		t.Fatalf("moving a school: %v, %+v", err, d.Errors)
	}
	if err := s.PutOrg(ctx, &store.Org{ID: "3301020000", Name: "上城区教研室", Kind: store.KindDistrict, Parent: city,
		Path: []string{city, "3301020000"}}); err != nil {
		t.Fatal(err)
	}
	d, err = importAs(t, s, admin, workbook(t, header, row("3301020000", "教研室附小", "上城区")), false)
	if !fail.Is(err, fail.Invalid) || len(d.Errors) != 1 || d.Errors[0].Code != "code_taken" {
		t.Fatalf("a district's code: %v, %+v", err, d.Errors)
	}
	if n := schoolCount(t, s); n != 1 {
		t.Fatalf("refused imports wrote schools: %d", n)
	}

	d, err = importAs(t, s, dist1, workbook(t, header, row("0330102001", "上城区新学校", "上城区")), false)
	if err != nil || len(d.Created) != 1 || d.Created[0].Parent != district1 {
		t.Fatalf("in-scope import: %v, %+v", err, d.Summary(false))
	}
}
