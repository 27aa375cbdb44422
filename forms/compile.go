package forms

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// compiled is a form prepared for validation and scoring: rules normalised
// and analysed, validator tags built, patterns compiled, computed fields
// ordered by their dependencies.
type compiled struct {
	sections []*cSection
	byCode   map[string]*cSection
	maxDepth int
	maxList  int
}

type cSection struct {
	sec        *Section
	fields     []*cField
	byID       map[string]*cField
	computes   []*cField // section-level computed fields, dependencies first
	targets    map[string]any
	compliance []cCompliance
}

type cField struct {
	f           *Field
	tag         string
	re          *regexp.Regexp
	relevant    *cRule
	compute     *cRule
	constraints []cConstraint
	rows        []*cField
	rowByID     map[string]*cField
	rowComputes []*cField
	// plainOptions: the options are plain words, so that cField.passes
	// may decide oneof without the validator.
	plainOptions bool
}

type cRule struct {
	logic  any
	needs  [][]string // var paths the rule needs, split at dots
	fast   node       // nil when the rule is left to the library
	folded bool       // fast checks the needs itself
}

type cConstraint struct {
	rule cRule
	msg  Text
}

type cCompliance struct {
	rule   cRule
	reason Text
	vars   map[string]cRule
}

// compileCache holds compiled forms by version; versions are content hashes.
var compileCache sync.Map

const compileCacheMax = 512

var compileCacheLen int
var compileCacheMu sync.Mutex

func (f *Form) compiled() *compiled {
	if f.Version != "" {
		if c, ok := compileCache.Load(f.Version); ok {
			return c.(*compiled)
		}
	}
	c := compile(f)
	if f.Version != "" && f.Version == f.hash() {
		compileCacheMu.Lock()
		if compileCacheLen >= compileCacheMax {
			compileCache.Clear()
			compileCacheLen = 0
		}
		if _, loaded := compileCache.LoadOrStore(f.Version, c); !loaded {
			compileCacheLen++
		}
		compileCacheMu.Unlock()
	}
	return c
}

func compile(f *Form) *compiled {
	c := &compiled{byCode: map[string]*cSection{}, maxDepth: 2, maxList: 1}
	for i := range f.Sections {
		s := &f.Sections[i]
		cs := &cSection{sec: s, byID: map[string]*cField{}, targets: map[string]any{}}
		for k, v := range s.Targets {
			cs.targets[k] = v
		}
		top := &scope{fields: map[string]*Field{}, targets: s.Targets, prev: true, school: true}
		for j := range s.Fields {
			top.fields[s.Fields[j].ID] = &s.Fields[j]
		}
		for j := range s.Fields {
			cf := compileField(&s.Fields[j], top, c, 2)
			cs.fields = append(cs.fields, cf)
			cs.byID[cf.f.ID] = cf
		}
		cs.computes = computeOrder(cs.fields)
		for _, r := range s.Compliance {
			cc := cCompliance{rule: newRule(r.Rule, top), reason: r.Reason, vars: map[string]cRule{}}
			for name, expr := range r.Vars {
				cc.vars[name] = newRule(expr, top)
			}
			cs.compliance = append(cs.compliance, cc)
		}
		c.sections = append(c.sections, cs)
		c.byCode[s.Indicator] = cs
	}
	return c
}

func newRule(logic any, sc *scope) cRule {
	n := normalize(logic)
	paths := analyse(n, sc).needs
	var needs [][]string
	for _, p := range paths {
		needs = append(needs, strings.Split(p, "."))
	}
	fast, folded := compileRule(n, paths)
	return cRule{logic: n, needs: needs, fast: fast, folded: folded}
}

func optRule(logic any, sc *scope) *cRule {
	if logic == nil {
		return nil
	}
	r := newRule(logic, sc)
	return &r
}

func compileField(f *Field, sc *scope, c *compiled, depth int) *cField {
	cf := &cField{f: f, tag: fieldTag(f), plainOptions: plainOptions(f)}
	if f.Pattern != "" {
		cf.re, _ = regexp.Compile(f.Pattern)
	}
	cf.relevant = optRule(f.Relevant, sc)
	if f.Type == Computed {
		cf.compute = optRule(f.Compute, sc)
	}
	for _, k := range f.Constraints {
		cf.constraints = append(cf.constraints, cConstraint{rule: newRule(k.Rule, sc), msg: k.Message})
	}
	switch f.Type {
	case Multi:
		c.maxDepth = max(c.maxDepth, depth+1)
		c.maxList = max(c.maxList, len(f.Options))
	case Repeat:
		c.maxDepth = max(c.maxDepth, depth+2)
		c.maxList = max(c.maxList, f.MaxRows)
		rsc := &scope{row: map[string]*Field{}, targets: sc.targets, school: true}
		for i := range f.Fields {
			rsc.row[f.Fields[i].ID] = &f.Fields[i]
		}
		cf.rowByID = map[string]*cField{}
		for i := range f.Fields {
			rf := compileField(&f.Fields[i], rsc, c, depth+2)
			cf.rows = append(cf.rows, rf)
			cf.rowByID[rf.f.ID] = rf
		}
		cf.rowComputes = computeOrder(cf.rows)
	}
	return cf
}

// fieldTag builds the validator tag of a field from its definition.
func fieldTag(f *Field) string {
	var parts []string
	num := func(name string, v *float64) {
		if v != nil {
			parts = append(parts, name+"="+strconv.FormatFloat(*v, 'f', -1, 64))
		}
	}
	switch f.Type {
	case Integer, Decimal:
		num("min", f.Min)
		num("max", f.Max)
	case Percent:
		lo, hi := percentBounds(f)
		num("min", &lo)
		num("max", &hi)
	case String:
		parts = append(parts, "max="+strconv.Itoa(textMax(f)))
	case Choice:
		parts = append(parts, "oneof="+optionList(f))
	case Multi:
		parts = append(parts, "unique", "dive", "oneof="+optionList(f))
	}
	return strings.Join(parts, ",")
}

// percentBounds are a percent field's limits: 0–100, narrowed by its own.
func percentBounds(f *Field) (lo, hi float64) {
	lo, hi = 0, 100
	if f.Min != nil && *f.Min > lo {
		lo = *f.Min
	}
	if f.Max != nil && *f.Max < hi {
		hi = *f.Max
	}
	return lo, hi
}

// textMax is a text field's length limit in characters (500 when unset).
func textMax(f *Field) int {
	if f.MaxLength > 0 {
		return f.MaxLength
	}
	return 500
}

func optionList(f *Field) string {
	vals := make([]string, len(f.Options))
	for i, o := range f.Options {
		vals[i] = o.Value
	}
	return strings.Join(vals, " ")
}

// computeOrder orders computed fields so that each comes after the computed
// fields it reads; fields of a cycle (rejected by CheckIndicator) go last.
func computeOrder(fields []*cField) []*cField {
	byID := map[string]*cField{}
	for _, cf := range fields {
		if cf.f.Type == Computed {
			byID[cf.f.ID] = cf
		}
	}
	var order []*cField
	state := map[string]int{}
	var visit func(cf *cField)
	visit = func(cf *cField) {
		if state[cf.f.ID] != 0 {
			return
		}
		state[cf.f.ID] = 1
		for _, dep := range computeDeps(cf) {
			if d := byID[dep]; d != nil && state[dep] == 0 {
				visit(d)
			}
		}
		state[cf.f.ID] = 2
		order = append(order, cf)
	}
	for _, cf := range fields {
		if cf.f.Type == Computed {
			visit(cf)
		}
	}
	return order
}

// computeDeps lists the field ids a computed field's rule reads.
func computeDeps(cf *cField) []string {
	var ids []string
	collectVars(normalize(cf.f.Compute), func(p string) {
		p = strings.TrimPrefix(p, "row.")
		head, _, _ := strings.Cut(p, ".")
		ids = append(ids, head)
	})
	return ids
}

// collectVars calls fn with every var path and missing argument in a rule.
func collectVars(node any, fn func(string)) {
	switch n := node.(type) {
	case []any:
		for _, e := range n {
			collectVars(e, fn)
		}
	case map[string]any:
		for op, raw := range n {
			args, ok := raw.([]any)
			if !ok {
				args = []any{raw}
			}
			if op == "var" || op == "missing" {
				for i, a := range args {
					if p, ok := a.(string); ok && (op == "missing" || i == 0) {
						fn(p)
					}
				}
			}
			collectVars(raw, fn)
		}
	}
}
