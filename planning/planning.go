// Package planning keeps a bureau's plans and custom indicators: it checks
// them with the form engine and stores them.
package planning

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/forms/extract"
	"github.com/tianbao-edu/tianbao/store"
)

// Service stores plans and indicators.
type Service struct {
	Store *store.Store
	Now   func() time.Time
}

var validPlanID = regexp.MustCompile(`^[a-z][a-z0-9-]{2,31}$`)

func checkPlanHead(p *forms.Plan) error {
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case !validPlanID.MatchString(p.ID):
		return fail.Field("id", "pattern", "编号为 3–32 位小写字母、数字或 -", "id: 3–32 lowercase letters, digits or -")
	case p.Name == "" || utf8.RuneCountInString(p.Name) > 100 || !forms.PlainLine(p.Name):
		return fail.Field("name", "required", "请填写 1–100 字的名称，不含换行等控制字符", "name: 1–100 characters, without line breaks or other control characters")
	case p.Year < 2000 || p.Year > 2100:
		return fail.Field("year", "range", "年份须在 2000–2100 之间", "year must be 2000–2100")
	case len(p.Items) == 0:
		return fail.Field("items", "required", "请至少选择一个指标", "choose at least one indicator")
	}
	return nil
}

// check validates a plan against the indicators it names.
func (s *Service) check(ctx context.Context, p *forms.Plan) error {
	if err := checkPlanHead(p); err != nil {
		return err
	}
	inds, err := s.Store.Indicators(ctx)
	if err != nil {
		return err
	}
	if errs := forms.CheckPlan(*p, inds); len(errs) > 0 {
		return fail.Fields(errs)
	}
	return nil
}

// CreatePlan checks and stores a new plan.
func (s *Service) CreatePlan(ctx context.Context, u *store.User, p forms.Plan) (*store.PlanDoc, error) {
	if err := s.check(ctx, &p); err != nil {
		return nil, err
	}
	doc := &store.PlanDoc{Plan: p, UpdatedAt: s.Now().UTC(), UpdatedBy: u.ID}
	if err := s.Store.InsertPlan(ctx, doc); err != nil {
		if fail.Is(err, fail.Conflict) {
			return nil, fail.Field("id", "taken", "该编号已被使用", "this id is taken")
		}
		return nil, err
	}
	return doc, nil
}

// UpdatePlan replaces a plan that is still at rev. Forms generated from the
// old plan stay as they are; new submissions get the new form.
func (s *Service) UpdatePlan(ctx context.Context, u *store.User, p forms.Plan, rev int) (*store.PlanDoc, error) {
	if err := s.check(ctx, &p); err != nil {
		return nil, err
	}
	doc := &store.PlanDoc{Plan: p, UpdatedAt: s.Now().UTC(), UpdatedBy: u.ID}
	if err := s.Store.UpdatePlan(ctx, doc, rev); err != nil {
		return nil, err
	}
	return doc, nil
}

// PutIndicator checks and stores a bureau's indicator; creating one with a
// built-in's code is refused (edit it instead), as is changing the type of
// an existing field, since field ids never change meaning.
func (s *Service) PutIndicator(ctx context.Context, ind forms.Indicator, create bool) (*forms.Indicator, error) {
	ind.Builtin = false
	if errs := forms.CheckIndicator(ind); len(errs) > 0 {
		return nil, fail.Fields(errs)
	}
	inds, err := s.Store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	old, exists := inds[ind.Code]
	switch {
	case create && exists:
		return nil, fail.Field("code", "taken", "该指标代码已存在", "an indicator with this code exists")
	case !create && !exists:
		return nil, fail.NotFoundf("指标", "Indicator")
	}
	if exists {
		if err := sameMeaning(old.Fields, ind.Fields, "fields"); err != nil {
			return nil, err
		}
		ind.Builtin = old.Builtin
	}
	if err := s.Store.PutIndicator(ctx, ind, s.Now().UTC()); err != nil {
		return nil, err
	}
	return &ind, nil
}

// sameMeaning refuses an edit that keeps a field id but changes its type.
func sameMeaning(old, next []forms.Field, path string) error {
	byID := map[string]forms.Field{}
	for _, f := range old {
		byID[f.ID] = f
	}
	for i, f := range next {
		o, ok := byID[f.ID]
		if !ok {
			continue
		}
		p := path + "[" + strconv.Itoa(i) + "]"
		if o.Type != f.Type {
			return fail.Field(p+".type", "reused_id", "字段编号不能换用途：请为新含义使用新编号", "a field id cannot change meaning: use a new id")
		}
		if err := sameMeaning(o.Fields, f.Fields, p+".fields"); err != nil {
			return err
		}
	}
	return nil
}

// FromText turns the selected candidates of a plan text into plan items,
// keeping only the targets each indicator defines.
func (s *Service) FromText(ctx context.Context, text string, selected []int) ([]forms.PlanItem, error) {
	res, err := extract.Extract(text)
	if err != nil {
		return nil, fail.Field("fromText.text", "invalid", "计划文本无法读取（须为不超过 1 MB 的 UTF-8 文本）", "the plan text must be UTF-8 and at most 1 MB")
	}
	draft, err := res.Plan(selected, "", 0)
	if err != nil {
		return nil, fail.Field("fromText.selected", "range", "所选条目不存在，请重新提取", "a selected candidate does not exist; extract again")
	}
	inds, err := s.Store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	items := make([]forms.PlanItem, 0, len(draft.Items))
	for _, d := range draft.Items {
		ind, ok := inds[d.Indicator]
		if !ok {
			continue
		}
		item := forms.PlanItem{Indicator: d.Indicator, Frequency: d.Frequency}
		for name, v := range d.Targets {
			if _, defined := ind.Targets[name]; defined {
				if item.Targets == nil {
					item.Targets = map[string]float64{}
				}
				item.Targets[name] = v
			}
		}
		items = append(items, item)
	}
	return items, nil
}
