package orgs

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

var schoolCode = regexp.MustCompile(`^\d{10}$`)

// SchoolInput is a school created or changed through the API.
type SchoolInput struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Parent     string   `json:"parent"`
	Stages     []string `json:"stages"`
	Public     bool     `json:"public"`
	Urban      bool     `json:"urban"`
	Classrooms int      `json:"classrooms"`
	Students   int      `json:"students"`
	Contact    string   `json:"contact"`
	Phone      string   `json:"phone"`
	Closed     bool     `json:"closed"`
}

// Visible returns an org under the caller's scope; others are NotFound.
func Visible(ctx context.Context, s *store.Store, u *store.User, id string) (*store.Org, error) {
	o, err := s.Org(ctx, id)
	if err != nil && !fail.Is(err, fail.NotFound) {
		return nil, err
	}
	if err != nil || !slices.Contains(o.Path, u.Org) {
		return nil, fail.NotFoundf("机构", "Organisation")
	}
	return o, nil
}

// SaveSchool creates (create true) or changes a school under a unit of any
// depth in the caller's scope, or right below the bureau. A school keeps
// its unit: users and submissions carry its path.
func SaveSchool(ctx context.Context, s *store.Store, u *store.User, in SchoolInput, create bool, now time.Time) (*store.Org, []string, error) {
	if err := checkSchool(&in); err != nil {
		return nil, nil, err
	}
	old, err := s.Org(ctx, in.ID)
	if err != nil && !fail.Is(err, fail.NotFound) {
		return nil, nil, err
	}
	switch {
	case create && err == nil:
		return nil, nil, codeTaken()
	case !create && err != nil, !create && !slices.Contains(old.Path, u.Org):
		return nil, nil, fail.NotFoundf("学校", "School")
	case !create && old.Kind != store.KindSchool:
		return nil, nil, fail.Field("id", "kind", "只能修改学校", "only schools can be changed here")
	case !create && in.Parent != "" && in.Parent != old.Parent:
		return nil, nil, fail.Field("parent", "move", "学校不能改换所属单位", "a school cannot move to another unit")
	}
	if !create {
		in.Parent = old.Parent
	}
	dist, err := s.Org(ctx, in.Parent)
	if err != nil && !fail.Is(err, fail.NotFound) {
		return nil, nil, err
	}
	if err != nil || dist.Kind == store.KindSchool || dist.Closed || !slices.Contains(dist.Path, u.Org) {
		return nil, nil, fail.Field("parent", "not_found", "所属单位不存在或不在您的管理范围内", "no such unit in your scope")
	}
	o := &store.Org{
		ID: in.ID, Name: in.Name, Kind: store.KindSchool, Parent: dist.ID, Path: append(slices.Clone(dist.Path), in.ID),
		Stages: in.Stages, Public: in.Public, Urban: in.Urban, Classrooms: in.Classrooms, Students: in.Students,
		Contact: in.Contact, Phone: in.Phone, Closed: in.Closed, UpdatedAt: now,
	}
	if create {
		// The insert is the claim: of two callers creating one code at
		// once, the second finds it taken.
		if err := s.InsertOrg(ctx, o); err != nil {
			if fail.Is(err, fail.Conflict) {
				return nil, nil, codeTaken()
			}
			return nil, nil, err
		}
		return o, nil, nil
	}
	if err := s.ReplaceOrg(ctx, o); err != nil {
		return nil, nil, err
	}
	return o, changedFields(old, o), nil
}

func codeTaken() error {
	return &fail.Error{Code: fail.Conflict, Message: forms.Text{Zh: "该学校代码已存在", En: "A school with this code exists"},
		Fields: []forms.FieldError{{Field: "id", Code: "taken", Message: forms.Text{Zh: "该学校代码已存在", En: "a school with this code exists"}}}}
}

func checkSchool(in *SchoolInput) error {
	in.Name, in.Contact, in.Phone = strings.TrimSpace(in.Name), strings.TrimSpace(in.Contact), strings.TrimSpace(in.Phone)
	switch {
	case !schoolCode.MatchString(in.ID):
		return fail.Field("id", "pattern", "学校代码须为 10 位数字", "the school code is 10 digits")
	case in.Name == "" || utf8.RuneCountInString(in.Name) > 100 || !forms.PlainLine(in.Name):
		return fail.Field("name", "required", "请填写 1–100 字的学校名称，不含换行等控制字符", "name: 1–100 characters, without line breaks or other control characters")
	case len(in.Stages) == 0:
		return fail.Field("stages", "required", "请至少选择一个学段", "choose at least one stage")
	case in.Classrooms < 0 || in.Classrooms > 10000:
		return fail.Field("classrooms", "range", "教室数须在 0–10000 之间", "classrooms must be 0–10000")
	case in.Students < 0 || in.Students > 100000:
		return fail.Field("students", "range", "学生数须在 0–100000 之间", "students must be 0–100000")
	case utf8.RuneCountInString(in.Contact) > 50 || !forms.PlainLine(in.Contact):
		return fail.Field("contact", "max_length", "联系人不能超过 50 字", "contact: at most 50 characters")
	case in.Phone != "" && !phonePattern.MatchString(in.Phone):
		return fail.Field("phone", "pattern", "联系电话格式不正确", "the phone number is not valid")
	}
	for i, st := range in.Stages {
		if !slices.Contains(forms.Stages, st) {
			return fail.Field("stages["+strconv.Itoa(i)+"]", "option", "未知学段", "unknown stage")
		}
	}
	in.Stages = normStages(in.Stages)
	return nil
}

var phonePattern = regexp.MustCompile(`^[0-9+][0-9 -]{6,19}$`)

func changedFields(a, b *store.Org) []string {
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	add("name", a.Name != b.Name)
	add("kind", a.Kind != b.Kind)
	add("stages", !slices.Equal(a.Stages, b.Stages))
	add("public", a.Public != b.Public)
	add("urban", a.Urban != b.Urban)
	add("classrooms", a.Classrooms != b.Classrooms)
	add("students", a.Students != b.Students)
	add("contact", a.Contact != b.Contact)
	add("phone", a.Phone != b.Phone)
	add("closed", a.Closed != b.Closed)
	return out
}
