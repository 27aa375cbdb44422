package forms

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

var frequencyNames = map[string]Text{
	Weekly:  {Zh: "周报", En: "weekly"},
	Monthly: {Zh: "月报", En: "monthly"},
	Termly:  {Zh: "学期报", En: "termly"},
	Yearly:  {Zh: "年报", En: "yearly"},
}

// Generate builds the form a school of the given stages fills in for one
// frequency of plan p: one section per plan item, in plan order, whose
// frequency (the item's override or the indicator's default) is frequency
// and whose indicator applies to at least one of stages. Fields limited to
// other stages are left out. Targets are the indicator's defaults
// overridden by the item's. The result is deterministic and carries its
// content hash as Version.
func Generate(p Plan, indicators map[string]Indicator, frequency string, stages []string) (*Form, error) {
	if errs := CheckPlan(p, indicators); len(errs) > 0 {
		return nil, fmt.Errorf("forms: plan %q: %s: %s", p.ID, errs[0].Field, errs[0].Message.En)
	}
	if _, ok := frequencyNames[frequency]; !ok {
		return nil, fmt.Errorf("forms: unknown frequency %q", frequency)
	}
	st, err := canonicalStages(stages)
	if err != nil {
		return nil, err
	}
	fname := frequencyNames[frequency]
	f := &Form{
		Plan:      p.ID,
		Frequency: frequency,
		Stages:    st,
		Title:     Text{Zh: fmt.Sprintf("%s（%s）", p.Name, fname.Zh), En: fmt.Sprintf("%s (%s)", p.Name, fname.En)},
		Sections:  []Section{},
	}
	for _, item := range p.Items {
		ind := indicators[item.Indicator]
		freq := ind.Frequency
		if item.Frequency != "" {
			freq = item.Frequency
		}
		if freq != frequency || !overlaps(ind.Stages, st) {
			continue
		}
		f.Sections = append(f.Sections, section(ind, item, st))
	}
	if len(f.Sections) == 0 {
		return nil, fmt.Errorf("forms: plan %q has no %s indicator for stages %v", p.ID, frequency, st)
	}
	f.Version = f.hash()
	return f, nil
}

func section(ind Indicator, item PlanItem, stages []string) Section {
	targets := map[string]float64{}
	for k, v := range ind.Targets {
		targets[k] = v
	}
	for k, v := range item.Targets {
		targets[k] = v
	}
	if len(targets) == 0 {
		targets = nil
	}
	s := Section{
		Indicator:  ind.Code,
		Title:      ind.Name,
		Help:       ind.Help,
		Category:   ind.Category,
		Source:     ind.Source,
		Fields:     stageFields(ind.Fields, stages),
		Compliance: make([]ComplianceRule, len(ind.Compliance)),
		Targets:    targets,
	}
	for i, r := range ind.Compliance {
		r.Rule = normalize(r.Rule)
		if r.Vars != nil {
			vars := make(map[string]any, len(r.Vars))
			for k, v := range r.Vars {
				vars[k] = normalize(v)
			}
			r.Vars = vars
		}
		s.Compliance[i] = r
	}
	return s
}

// stageFields copies the fields that apply to at least one of stages.
func stageFields(fields []Field, stages []string) []Field {
	out := make([]Field, 0, len(fields))
	for _, f := range fields {
		if len(f.Stages) > 0 && !overlaps(f.Stages, stages) {
			continue
		}
		f.Relevant, f.Compute = normalize(f.Relevant), normalize(f.Compute)
		f.Options = slices.Clone(f.Options)
		f.Stages = slices.Clone(f.Stages)
		f.Constraints = slices.Clone(f.Constraints)
		if f.Change != nil {
			f.Change = f.Change.resolved()
		}
		if f.Within != nil {
			w := *f.Within
			f.Within = &w
		}
		for i := range f.Constraints {
			f.Constraints[i].Rule = normalize(f.Constraints[i].Rule)
		}
		if f.Fields != nil {
			f.Fields = stageFields(f.Fields, stages)
		}
		out = append(out, f)
	}
	return out
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// canonicalStages sorts stages in their natural order without duplicates.
func canonicalStages(stages []string) ([]string, error) {
	out := []string{}
	for _, s := range Stages {
		if slices.Contains(stages, s) {
			out = append(out, s)
		}
	}
	for _, s := range stages {
		if !slices.Contains(Stages, s) {
			return nil, fmt.Errorf("forms: unknown stage %q", s)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("forms: no stage given")
	}
	return out, nil
}

// JSON encodes the form compactly; the same form always encodes to the same
// bytes (map keys sorted, floats in their shortest form). It returns nil if
// the form holds a value JSON cannot encode, which Generate never produces.
func (f *Form) JSON() []byte {
	b, err := json.Marshal(f)
	if err != nil {
		return nil
	}
	return b
}

// hash is the content hash of the form without its version: the first 16
// hex digits of the SHA-256 of its JSON.
func (f *Form) hash() string {
	c := *f
	c.Version = ""
	sum := sha256.Sum256(c.JSON())
	return hex.EncodeToString(sum[:8])
}
