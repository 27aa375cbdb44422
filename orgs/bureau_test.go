package orgs_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/tianbao-edu/tianbao/orgs"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestImportDirectlyUnderTheBureau: a county bureau has its schools
// directly under it. A row with an empty 所属区县, or a sheet without the
// column, puts the school under the bureau; naming the bureau does too,
// so its own export imports back unchanged; a district's user must still
// name its district.
func TestImportDirectlyUnderTheBureau(t *testing.T) {
	const county = "420222"
	s := storetest.New(t)
	if err := s.PutOrg(ctx, &store.Org{ID: county, Name: "阳新县教育局", Kind: store.KindCounty, Path: []string{county}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimBureau(ctx, &store.Bureau{Org: county, Name: "阳新县教育局", Kind: store.KindCounty, Admin: "yx"}); err != nil {
		t.Fatal(err)
	}
	root, err := orgs.Root(ctx, s)
	if err != nil || root.Org != county {
		t.Fatalf("root: %+v, %v", root, err)
	}
	withColumn := workbook(t, header,
		[]any{"0420222001", "阳新县实验小学", "", "小学", "公办", "城区", 24, 900, "王老师", ""},
		[]any{"0420222002", "阳新县第一中学", "阳新县", "初中", "公办", "城区", 30, 1200, "李老师", ""})
	without := workbook(t, []any{"学校代码", "学校名称", "学段", "办学性质", "城乡", "教室数", "学生数", "联系人", "联系电话"},
		[]any{"0420222003", "阳新县幼儿园", "幼儿园", "公办", "城区", 8, 200, "赵老师", ""})
	for name, sheet := range map[string][]byte{"empty cells": withColumn, "no column": without} {
		d, err := orgs.Import(ctx, s, root, bytes.NewReader(sheet), orgs.Options{MaxBytes: orgs.MaxUpload, Now: now})
		if err != nil || len(d.Created) == 0 {
			t.Fatalf("%s: %+v, %v", name, d, err)
		}
	}
	for _, code := range []string{"0420222001", "0420222002", "0420222003"} {
		o, err := s.Org(ctx, code)
		if err != nil || o.Parent != county || !slices.Equal(o.Path, []string{county, code}) {
			t.Fatalf("%s: %+v, %v", code, o, err)
		}
	}
	o, _, err := orgs.SaveSchool(ctx, s, root, orgs.SchoolInput{ID: "0420222004", Name: "阳新县第三小学", Parent: county,
		Stages: []string{"primary"}}, true, now)
	if err != nil || !slices.Equal(o.Path, []string{county, "0420222004"}) {
		t.Fatalf("a school added under the bureau: %+v, %v", o, err)
	}
	var exported bytes.Buffer
	if err := orgs.Export(ctx, s, root, &exported); err != nil {
		t.Fatal(err)
	}
	d, err := orgs.Import(ctx, s, root, bytes.NewReader(exported.Bytes()), orgs.Options{MaxBytes: orgs.MaxUpload, DryRun: true, Now: now})
	if err != nil || d.Unchanged != 4 || len(d.Created)+len(d.Updated) != 0 {
		t.Fatalf("its export imported back: %+v, %v", d.Summary(true), err)
	}

	// In a city, a district's user leaving the district empty is refused.
	city := newTree(t)
	d, err = importAs(t, city, dist1, workbook(t, header, []any{"0330102009", "上城区新小学", "", "小学", "公办", "城区", 1, 1, "", ""}), true)
	if err == nil || len(d.Errors) != 1 || d.Errors[0].Column != orgs.ColDistrict || d.Errors[0].Code != "required" {
		t.Fatalf("district user, empty district: %+v, %v", d.Errors, err)
	}
}
