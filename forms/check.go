package forms

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
)

var (
	idPattern     = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	optionPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	placeholder   = regexp.MustCompile(`\{([a-zA-Z0-9_.]+)\}`)
)

var fieldTypes = map[FieldType]bool{
	Integer: true, Decimal: true, Percent: true, Boolean: true, Choice: true,
	Multi: true, Date: true, String: true, Repeat: true, Computed: true,
}

func ferr(path, code, zh, en string) FieldError {
	return FieldError{Field: path, Code: code, Message: Text{Zh: zh, En: en}}
}

// CheckIndicator reports what is wrong with an indicator definition, each
// problem keyed by its path in the definition ("fields[2].pattern") with a
// short code and a zh+en message saying what to fix. Nil means valid.
func CheckIndicator(ind Indicator) []FieldError {
	var errs []FieldError
	if !idPattern.MatchString(ind.Code) {
		errs = append(errs, ferr("code", "invalid", "指标代码须为小写字母开头，仅含小写字母、数字和下划线", "code must start with a lowercase letter and hold only lowercase letters, digits and underscores"))
	}
	if strings.TrimSpace(ind.Name.Zh) == "" {
		errs = append(errs, ferr("name", "required", "请填写指标中文名称", "give the indicator a Chinese name"))
	}
	if _, ok := frequencyNames[ind.Frequency]; !ok {
		errs = append(errs, ferr("frequency", "frequency", fmt.Sprintf("未知的填报频次“%s”：应为 weekly、monthly、termly 或 yearly", ind.Frequency), fmt.Sprintf("unknown frequency %q: use weekly, monthly, termly or yearly", ind.Frequency)))
	}
	errs = append(errs, checkStages("stages", ind.Stages, Stages)...)
	for _, name := range sortedKeys(ind.Targets) {
		if v := ind.Targets[name]; math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, ferr("targets."+name, "not_finite", "目标值须为有限数字", "a target must be a finite number"))
		}
	}
	if len(ind.Fields) == 0 {
		errs = append(errs, ferr("fields", "required", "指标至少需要一个填报项", "an indicator needs at least one field"))
	}
	env := newTypeEnv()
	top := &scope{fields: map[string]*Field{}, targets: ind.Targets, prev: true, school: true, env: env}
	if top.targets == nil {
		top.targets = map[string]float64{}
	}
	seen := map[string]string{}
	for i := range ind.Fields {
		f := &ind.Fields[i]
		if top.fields[f.ID] == nil {
			top.fields[f.ID] = f
		}
		env.scopeOf[f] = top
		if f.Type == Repeat {
			env.rowScope(f, top.targets)
		}
	}
	for i := range ind.Fields {
		errs = append(errs, checkField(&ind.Fields[i], fmt.Sprintf("fields[%d]", i), top, ind.Stages, seen, false)...)
	}
	errs = append(errs, checkCycles(ind.Fields, "fields")...)
	ids := map[string]bool{}
	for i, r := range ind.Compliance {
		path := fmt.Sprintf("compliance[%d]", i)
		if !idPattern.MatchString(r.ID) || ids[r.ID] {
			errs = append(errs, ferr(path+".id", "invalid", "达标规则须有唯一的小写标识", "a compliance rule needs a unique lowercase id"))
		}
		ids[r.ID] = true
		if r.Rule == nil {
			errs = append(errs, ferr(path+".rule", "required", "请填写达标规则", "give the compliance rule"))
		}
		errs = append(errs, checkRule(path+".rule", r.Rule, top)...)
		if strings.TrimSpace(r.Reason.Zh) == "" {
			errs = append(errs, ferr(path+".reason", "required", "请填写不达标原因", "give the reason shown when the rule fails"))
		}
		for _, name := range sortedKeys(r.Vars) {
			errs = append(errs, checkRule(path+".vars."+name, r.Vars[name], top)...)
		}
		for _, text := range []string{r.Reason.Zh, r.Reason.En} {
			for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
				if _, ok := r.Vars[m[1]]; !ok && !pathKnown(m[1], top) {
					errs = append(errs, ferr(path+".reason", "placeholder", fmt.Sprintf("原因中的占位符 {%s} 没有定义", m[1]), fmt.Sprintf("placeholder {%s} in the reason is not defined", m[1])))
				}
			}
		}
	}
	return errs
}

func checkStages(path string, stages, allowed []string) []FieldError {
	if len(stages) == 0 && path == "stages" {
		return []FieldError{ferr(path, "stage", "请至少选择一个学段", "choose at least one stage")}
	}
	var errs []FieldError
	for i, s := range stages {
		if !slices.Contains(allowed, s) {
			errs = append(errs, ferr(fmt.Sprintf("%s[%d]", path, i), "stage", fmt.Sprintf("未知或不适用的学段“%s”", s), fmt.Sprintf("unknown or inapplicable stage %q", s)))
		}
	}
	return errs
}

func checkField(f *Field, path string, sc *scope, stages []string, seen map[string]string, inRow bool) []FieldError {
	var errs []FieldError
	add := func(sub, code, zh, en string) { errs = append(errs, ferr(path+sub, code, zh, en)) }
	switch {
	case !idPattern.MatchString(f.ID):
		add(".id", "invalid", fmt.Sprintf("填报项标识“%s”须为小写字母开头，仅含小写字母、数字和下划线", f.ID), fmt.Sprintf("field id %q must start with a lowercase letter and hold only lowercase letters, digits and underscores", f.ID))
	case reservedIDs[f.ID]:
		add(".id", "reserved", fmt.Sprintf("“%s”是保留字，不能作为填报项标识", f.ID), fmt.Sprintf("%q is reserved and cannot be a field id", f.ID))
	case seen[f.ID] != "":
		add(".id", "duplicate", fmt.Sprintf("填报项标识“%s”与 %s 重复", f.ID, seen[f.ID]), fmt.Sprintf("field id %q repeats %s", f.ID, seen[f.ID]))
	default:
		seen[f.ID] = path
	}
	if !fieldTypes[f.Type] {
		add(".type", "type", fmt.Sprintf("未知的填报项类型“%s”", f.Type), fmt.Sprintf("unknown field type %q", f.Type))
	}
	if strings.TrimSpace(f.Label.Zh) == "" {
		add(".label", "required", "请填写填报项中文名称", "give the field a Chinese label")
	}
	if f.Column != nil && strings.TrimSpace(f.Column.Zh) == "" {
		add(".column", "required", "请填写表格列名的中文，或去掉列名", "give the column title a Chinese text, or drop it")
	}
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		add(".min", "min_max", "最小值不能大于最大值", "min must not exceed max")
	}
	for _, b := range []*float64{f.Min, f.Max} {
		if b != nil && (math.IsNaN(*b) || math.IsInf(*b, 0)) {
			add(".min", "not_finite", "上下限须为有限数字", "bounds must be finite numbers")
		}
	}
	if f.Precision < 0 || f.Precision > 6 {
		add(".precision", "precision", "小数位数须在 0–6 之间", "precision must be between 0 and 6")
	}
	if f.Pattern != "" {
		if _, err := regexp.Compile(f.Pattern); err != nil {
			add(".pattern", "pattern", "格式规则不是有效的正则表达式："+err.Error(), "pattern is not a valid regular expression: "+err.Error())
		}
	}
	if f.Type == Choice || f.Type == Multi {
		errs = append(errs, checkOptions(f, path)...)
	}
	errs = append(errs, checkStages(path+".stages", f.Stages, stages)...)
	errs = append(errs, checkChange(f, path, inRow)...)
	errs = append(errs, checkWithin(f, path)...)
	if f.Rooms && (f.Type != Repeat || inRow) {
		add(".rooms", "rooms", "只有重复组可以按教室逐间填报", "only repeat groups may list classrooms")
	}
	if f.Carry && (f.Type == Computed || inRow && f.Type == Repeat) {
		add(".carry", "carry", "计算项不能沿用上期", "a computed field cannot be carried")
	}
	if f.Type == Computed && f.Compute == nil {
		add(".compute", "required", "计算项须有计算规则", "a computed field needs a compute rule")
	}
	if f.Type != Computed && f.Compute != nil {
		add(".compute", "compute", "只有计算项可以有计算规则", "only computed fields may have a compute rule")
	}
	errs = append(errs, checkRule(path+".relevant", f.Relevant, sc)...)
	errs = append(errs, checkRule(path+".compute", f.Compute, sc)...)
	for i, k := range f.Constraints {
		errs = append(errs, checkRule(fmt.Sprintf("%s.constraints[%d].rule", path, i), k.Rule, sc)...)
		if strings.TrimSpace(k.Message.Zh) == "" {
			add(fmt.Sprintf(".constraints[%d].message", i), "required", "请填写校验不通过时的提示", "give the message shown when the constraint fails")
		}
	}
	if f.Type != Repeat {
		if len(f.Fields) > 0 {
			add(".fields", "fields", "只有重复组可以包含子项", "only repeat groups may hold fields")
		}
		return errs
	}
	if inRow {
		add(".type", "nested_repeat", "重复组不能嵌套", "repeat groups cannot be nested")
	}
	if len(f.Fields) == 0 {
		add(".fields", "required", "重复组至少需要一个子项", "a repeat group needs at least one field")
	}
	if f.MaxRows <= 0 || f.MinRows < 0 || f.MinRows > f.MaxRows {
		add(".maxRows", "rows", "重复组须设置行数上限，且下限不超过上限", "a repeat group needs maxRows, with 0 ≤ minRows ≤ maxRows")
	}
	rsc := sc.env.rowScope(f, sc.targets)
	for i := range f.Fields {
		errs = append(errs, checkField(&f.Fields[i], fmt.Sprintf("%s.fields[%d]", path, i), rsc, stages, seen, true)...)
	}
	return append(errs, checkCycles(f.Fields, path+".fields")...)
}

func checkOptions(f *Field, path string) []FieldError {
	if len(f.Options) == 0 {
		return []FieldError{ferr(path+".options", "options", "选择题至少需要一个选项", "a choice field needs options")}
	}
	var errs []FieldError
	seen := map[string]bool{}
	for i, o := range f.Options {
		if !optionPattern.MatchString(o.Value) || seen[o.Value] {
			errs = append(errs, ferr(fmt.Sprintf("%s.options[%d].value", path, i), "options", "选项值须唯一，仅含小写字母、数字、下划线和连字符", "option values must be unique and hold only lowercase letters, digits, underscores and hyphens"))
		}
		seen[o.Value] = true
	}
	return errs
}

func checkRule(path string, rule any, sc *scope) []FieldError {
	if rule == nil {
		return nil
	}
	var errs []FieldError
	n := normalize(rule)
	for _, e := range analyse(n, sc).errs {
		code, zh := "rule", "规则有误："+e
		if strings.HasPrefix(e, "unknown variable") {
			code, zh = "unknown_var", "规则引用了不存在的变量："+strings.TrimPrefix(e, "unknown variable ")
		}
		errs = append(errs, ferr(path, code, zh, "rule: "+e))
	}
	if len(errs) == 0 {
		if e, bad := typeRule(n, sc); bad {
			errs = append(errs, ferr(path, "rule", "规则有误："+e.Zh, "rule: "+e.En))
		}
	}
	return errs
}

// checkCycles reports computed fields that depend on themselves.
func checkCycles(fields []Field, path string) []FieldError {
	cfs := make([]*cField, len(fields))
	for i := range fields {
		cfs[i] = &cField{f: &fields[i]}
	}
	done := map[string]bool{}
	var errs []FieldError
	for _, cf := range computeOrder(cfs) {
		idx := slices.IndexFunc(fields, func(f Field) bool { return f.ID == cf.f.ID })
		for _, dep := range computeDeps(cf) {
			if slices.ContainsFunc(fields, func(f Field) bool { return f.ID == dep && f.Type == Computed }) && !done[dep] {
				errs = append(errs, ferr(fmt.Sprintf("%s[%d].compute", path, idx), "cycle", "计算项之间存在循环依赖", "computed fields depend on each other in a cycle"))
			}
		}
		done[cf.f.ID] = true
	}
	return errs
}

// CheckPlan reports what is wrong with a plan against the indicators it
// may select: unknown or repeated indicators, bad frequencies, targets the
// indicator does not define and non-finite targets.
func CheckPlan(p Plan, indicators map[string]Indicator) []FieldError {
	var errs []FieldError
	if len(p.Items) == 0 {
		errs = append(errs, ferr("items", "required", "计划至少需要一个指标", "a plan needs at least one indicator"))
	}
	seen := map[string]bool{}
	for i, it := range p.Items {
		path := fmt.Sprintf("items[%d]", i)
		ind, ok := indicators[it.Indicator]
		if !ok {
			errs = append(errs, ferr(path+".indicator", "unknown_indicator", fmt.Sprintf("未知的指标“%s”", it.Indicator), fmt.Sprintf("unknown indicator %q", it.Indicator)))
		}
		if seen[it.Indicator] {
			errs = append(errs, ferr(path+".indicator", "duplicate", fmt.Sprintf("指标“%s”重复", it.Indicator), fmt.Sprintf("indicator %q is selected twice", it.Indicator)))
		}
		seen[it.Indicator] = true
		if _, ok := frequencyNames[it.Frequency]; it.Frequency != "" && !ok {
			errs = append(errs, ferr(path+".frequency", "frequency", fmt.Sprintf("未知的填报频次“%s”", it.Frequency), fmt.Sprintf("unknown frequency %q", it.Frequency)))
		}
		for _, name := range sortedKeys(it.Targets) {
			v := it.Targets[name]
			if _, def := ind.Targets[name]; ok && !def {
				errs = append(errs, ferr(path+".targets."+name, "unknown_target", fmt.Sprintf("指标“%s”没有目标值“%s”", it.Indicator, name), fmt.Sprintf("indicator %q has no target %q", it.Indicator, name)))
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				errs = append(errs, ferr(path+".targets."+name, "not_finite", "目标值须为有限数字", "a target must be a finite number"))
			}
		}
	}
	return errs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
