// Package bench builds realistic data and load for Tianbao: answers that
// pass a form's own validation, a whole city with its history for the
// scale benchmark, and the timing of what bureau staff ask for.
package bench

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/diegoholiveira/jsonlogic/v3"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// Answerer fills a form in the way a school's staff would: plausible
// values for every field, checked with the form's own validation and
// repaired until the server will accept them.
type Answerer struct {
	form  *forms.Form
	env   forms.Env
	rnd   *rand.Rand
	today time.Time
}

var errPath = regexp.MustCompile(`^([^.\[]+)\.([^.\[]+)(?:\[(\d+)\]\.([^.\[]+))?$`)

// NewAnswerer answers form for the school and history in env, with
// choices drawn from seed; dates fall before today.
func NewAnswerer(form *forms.Form, env forms.Env, seed uint64, today time.Time) *Answerer {
	return &Answerer{form: form, env: env, rnd: rand.New(rand.NewPCG(seed, 7)), today: today}
}

// Answer returns values for the whole form and the problems left, if any.
func (a *Answerer) Answer() (forms.Values, []forms.FieldError) {
	vals := forms.Values{}
	for _, sec := range a.form.Sections {
		obj := map[string]any{}
		for i := range sec.Fields {
			if v := a.value(&sec, &sec.Fields[i]); v != nil {
				obj[sec.Fields[i].ID] = v
			}
		}
		vals[sec.Indicator] = obj
	}
	var errs []forms.FieldError
	for range 12 {
		raw, _ := json.Marshal(vals)
		if _, errs = a.form.Validate(raw, a.env, false); len(errs) == 0 {
			return vals, nil
		}
		for _, e := range errs {
			a.repair(vals, e)
		}
	}
	return vals, errs
}

// repair changes the value an error points at.
func (a *Answerer) repair(vals forms.Values, e forms.FieldError) {
	m := errPath.FindStringSubmatch(e.Field)
	if m == nil {
		return
	}
	sec := a.section(m[1])
	if sec == nil {
		return
	}
	f, obj := fieldByID(sec.Fields, m[2]), vals[m[1]]
	if f == nil || obj == nil {
		return
	}
	if m[3] != "" {
		rows, _ := obj[m[2]].([]any)
		i, _ := strconv.Atoi(m[3])
		if i >= len(rows) {
			return
		}
		row, _ := rows[i].(map[string]any)
		if f = fieldByID(f.Fields, m[4]); f == nil || row == nil {
			return
		}
		obj = row
	}
	switch e.Code {
	case "not_relevant":
		delete(obj, f.ID)
	case "constraint":
		a.satisfy(sec, f, obj, m[3] != "")
	case "rows_min":
		rows, _ := obj[f.ID].([]any)
		for len(rows) < f.MinRows {
			rows = append(rows, a.row(sec, f, len(rows)))
		}
		obj[f.ID] = rows
	default:
		if v := a.value(sec, f); v != nil {
			obj[f.ID] = v
		}
	}
}

func (a *Answerer) section(code string) *forms.Section {
	for i := range a.form.Sections {
		if a.form.Sections[i].Indicator == code {
			return &a.form.Sections[i]
		}
	}
	return nil
}

func fieldByID(fields []forms.Field, id string) *forms.Field {
	for i := range fields {
		if fields[i].ID == id {
			return &fields[i]
		}
	}
	return nil
}

// satisfy changes a field so that its failing constraints hold: a bound
// such as {"<=": [{"var": "handled"}, {"var": "found"}]} is evaluated and
// the field moved under (or over, or onto) it; anything else falls back to
// the field's smallest value.
func (a *Answerer) satisfy(sec *forms.Section, f *forms.Field, obj map[string]any, inRow bool) {
	data := map[string]any{"target": targetsData(sec), "school": schoolRuleData(a.env.School)}
	self := f.ID
	if inRow {
		data["row"], self = obj, "row."+f.ID
	} else {
		for k, v := range obj {
			data[k] = v
		}
	}
	for _, c := range f.Constraints {
		if ok, _ := jsonlogic.ApplyInterface(c.Rule, data); truthy(ok) {
			continue
		}
		rule, _ := c.Rule.(map[string]any)
		for op, args := range rule {
			list, _ := args.([]any)
			if len(list) != 2 {
				continue
			}
			side := -1
			for i, x := range list {
				if v, ok := x.(map[string]any); ok && v["var"] == self {
					side = i
				}
			}
			if side < 0 {
				continue
			}
			bound, err := jsonlogic.ApplyInterface(list[1-side], data)
			if err != nil {
				continue
			}
			if b, ok := bound.(bool); ok && op == "==" {
				obj[f.ID] = b
				return
			}
			if d, ok := bound.(string); ok && f.Type == forms.Date && op != "<" && op != ">" {
				obj[f.ID] = d // the other date itself meets <=, >= and ==
				return
			}
			n, ok := bound.(float64)
			if !ok {
				continue
			}
			lo, hi := limits(f)
			below := (op == "<=" || op == "<") == (side == 0)
			switch {
			case op == "==":
				lo, hi = n, n
			case below:
				hi = math.Min(hi, n)
			default:
				lo = math.Max(lo, n)
			}
			obj[f.ID] = a.number(f, lo, math.Max(lo, hi))
			return
		}
	}
	if f.Type == forms.Boolean {
		obj[f.ID] = true
		return
	}
	lo, _ := limits(f)
	obj[f.ID] = a.number(f, lo, lo)
}

func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case float64:
		return x != 0
	case string:
		return x != ""
	}
	return v != nil
}

func targetsData(sec *forms.Section) map[string]any {
	out := make(map[string]any, len(sec.Targets))
	for k, v := range sec.Targets {
		out[k] = v
	}
	return out
}

func schoolRuleData(s forms.School) map[string]any {
	return map[string]any{"code": s.Code, "classrooms": float64(s.Classrooms), "students": float64(s.Students),
		"public": s.Public, "urban": s.Urban}
}

// limits returns a field's range, with sensible bounds where it has none.
func limits(f *forms.Field) (float64, float64) {
	lo, hi := 0.0, 1000.0
	if f.Type == forms.Percent {
		hi = 100
	}
	if f.Min != nil {
		lo = *f.Min
	}
	if f.Max != nil {
		hi = *f.Max
	}
	return lo, hi
}

// value returns a plausible answer to one field (nil for computed ones).
func (a *Answerer) value(sec *forms.Section, f *forms.Field) any {
	switch f.Type {
	case forms.Integer, forms.Decimal, forms.Percent:
		lo, hi := limits(f)
		if t, ok := sec.Targets[f.ID]; ok && t > 0 {
			// Around the target: most schools meet it, some fall short.
			return a.number(f, math.Max(lo, t*0.85), math.Min(hi, t*1.4))
		}
		tmin, okMin := sec.Targets[f.ID+"_min"]
		tmax, okMax := sec.Targets[f.ID+"_max"]
		if okMin && okMax {
			return a.number(f, math.Max(lo, tmin*0.95), math.Min(hi, tmax*1.02))
		}
		if hi-lo > 100 {
			hi = lo + (hi-lo)/20
		}
		return a.number(f, lo, hi)
	case forms.Boolean:
		return a.rnd.IntN(10) < 8
	case forms.Choice:
		if len(f.Options) == 0 {
			return nil
		}
		return f.Options[a.rnd.IntN(len(f.Options))].Value
	case forms.Multi:
		var out []any
		for _, o := range f.Options {
			if a.rnd.IntN(2) == 0 {
				out = append(out, o.Value)
			}
		}
		if len(out) == 0 && len(f.Options) > 0 {
			out = append(out, f.Options[0].Value)
		}
		return out
	case forms.Date:
		back := a.rnd.IntN(max(a.today.Day(), 1))
		return a.today.AddDate(0, 0, -back).Format(time.DateOnly)
	case forms.String:
		return a.text(f)
	case forms.Repeat:
		n := max(f.MinRows, 1)
		if c := a.env.School.Classrooms; c > n {
			n = c
		}
		n = min(n, max(f.MaxRows, f.MinRows), 40)
		if sec.Indicator == store.LedgerSection && f.ID == store.LedgerRows {
			n = a.rnd.IntN(4) // a few hazards a month, not one per classroom
		}
		rows := make([]any, 0, n)
		for i := range n {
			rows = append(rows, a.row(sec, f, i))
		}
		return rows
	}
	return nil
}

func (a *Answerer) row(sec *forms.Section, f *forms.Field, i int) map[string]any {
	row := map[string]any{}
	for j := range f.Fields {
		col := &f.Fields[j]
		if col.ID == store.LedgerID && sec.Indicator == store.LedgerSection {
			continue // new hazards: the server gives their ids
		}
		if col.Type == forms.String && col.Required && (col.ID == "name" || strings.Contains(col.Label.Zh, "教室")) {
			row[col.ID] = fmt.Sprintf("%d年级%d班", i/4+1, i%4+1)
		} else if v := a.value(sec, col); v != nil {
			row[col.ID] = v
		}
	}
	return row
}

// number picks a value in [lo, hi] with the field's precision.
func (a *Answerer) number(f *forms.Field, lo, hi float64) float64 {
	x := lo + a.rnd.Float64()*(hi-lo)
	p := f.Precision
	if f.Type == forms.Integer {
		p = 0
	}
	scale := math.Pow(10, float64(p))
	x = math.Floor(x*scale) / scale
	if x < lo {
		x = math.Ceil(lo*scale) / scale
	}
	return x
}

var phrases = []string{"按要求完成", "已组织专项检查", "情况正常", "已整改到位", "持续跟踪"}

func (a *Answerer) text(f *forms.Field) any {
	if !f.Required && a.rnd.IntN(3) > 0 {
		return nil
	}
	s := phrases[a.rnd.IntN(len(phrases))]
	if f.MaxLength > 0 && len([]rune(s)) > f.MaxLength {
		s = string([]rune(s)[:f.MaxLength])
	}
	return s
}
