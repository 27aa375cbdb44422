// Package forms holds the indicator catalog and the form engine: it turns a
// bureau's plan indicators into form definitions, validates submissions
// against them and scores each submission for compliance.
package forms

// Text is a user-facing string in Chinese (first) and English.
type Text struct {
	Zh string `json:"zh" yaml:"zh" bson:"zh"`
	En string `json:"en,omitempty" yaml:"en" bson:"en,omitempty"`
}

// In returns the text in the given language ("en" or anything else for zh).
func (t Text) In(lang string) string {
	if lang == "en" && t.En != "" {
		return t.En
	}
	return t.Zh
}

// FieldType names the kind of value a field holds.
type FieldType string

// The field types of the form engine.
const (
	Integer  FieldType = "integer"
	Decimal  FieldType = "decimal"
	Percent  FieldType = "percent"
	Boolean  FieldType = "boolean"
	Choice   FieldType = "choice"
	Multi    FieldType = "multi"
	Date     FieldType = "date"
	String   FieldType = "text"
	Repeat   FieldType = "repeat"
	Computed FieldType = "computed"
)

// School stages.
const (
	Kindergarten = "kindergarten" // 幼儿园
	Primary      = "primary"      // 小学
	Junior       = "junior"       // 初中
	Senior       = "senior"       // 高中
)

// Stages lists every stage in its natural order.
var Stages = []string{Kindergarten, Primary, Junior, Senior}

// Frequencies, finest first.
const (
	Weekly  = "weekly"
	Monthly = "monthly"
	Termly  = "termly"
	Yearly  = "yearly"
)

// Option is one choice of a choice or multi field.
type Option struct {
	Value string `json:"value" yaml:"value" bson:"value"`
	Label Text   `json:"label" yaml:"label" bson:"label"`
}

// Constraint is a cross-field JSON Logic rule that must hold (evaluate truthy)
// for a submission to be accepted; Message says what is wrong when it does not.
type Constraint struct {
	Rule    any  `json:"rule" yaml:"rule" bson:"rule"`
	Message Text `json:"message" yaml:"message" bson:"message"`
}

// Field is one question of a form. Rules (Relevant, Compute, constraints) are
// JSON Logic, evaluated alike by the server and the phone.
type Field struct {
	ID          string       `json:"id" yaml:"id" bson:"id"`
	Type        FieldType    `json:"type" yaml:"type" bson:"type"`
	Label       Text         `json:"label" yaml:"label" bson:"label"`
	Hint        *Text        `json:"hint,omitempty" yaml:"hint,omitempty" bson:"hint,omitempty"`
	Unit        string       `json:"unit,omitempty" yaml:"unit,omitempty" bson:"unit,omitempty"`
	Precision   int          `json:"precision,omitempty" yaml:"precision,omitempty" bson:"precision,omitempty"`
	Required    bool         `json:"required,omitempty" yaml:"required,omitempty" bson:"required,omitempty"`
	Min         *float64     `json:"min,omitempty" yaml:"min,omitempty" bson:"min,omitempty"`
	Max         *float64     `json:"max,omitempty" yaml:"max,omitempty" bson:"max,omitempty"`
	MaxLength   int          `json:"maxLength,omitempty" yaml:"maxLength,omitempty" bson:"maxLength,omitempty"`
	Pattern     string       `json:"pattern,omitempty" yaml:"pattern,omitempty" bson:"pattern,omitempty"`
	Options     []Option     `json:"options,omitempty" yaml:"options,omitempty" bson:"options,omitempty"`
	Relevant    any          `json:"relevant,omitempty" yaml:"relevant,omitempty" bson:"relevant,omitempty"`
	Compute     any          `json:"compute,omitempty" yaml:"compute,omitempty" bson:"compute,omitempty"`
	Constraints []Constraint `json:"constraints,omitempty" yaml:"constraints,omitempty" bson:"constraints,omitempty"`
	Fields      []Field      `json:"fields,omitempty" yaml:"fields,omitempty" bson:"fields,omitempty"`
	MinRows     int          `json:"minRows,omitempty" yaml:"minRows,omitempty" bson:"minRows,omitempty"`
	MaxRows     int          `json:"maxRows,omitempty" yaml:"maxRows,omitempty" bson:"maxRows,omitempty"`
	// Stages limits the field to schools of these stages; empty means all
	// the indicator's stages. Generate leaves the field out of forms for
	// other stages.
	Stages []string `json:"stages,omitempty" yaml:"stages,omitempty" bson:"stages,omitempty"`
	// Change says how far a number may move from the school's earlier
	// periods before the value needs an explanation (change.go).
	Change *Change `json:"change,omitempty" yaml:"change,omitempty" bson:"change,omitempty"`
	// Carry starts the field, in a new period, with the school's answer in
	// the previous one (classroom names, staff counts, contacts).
	Carry bool `json:"carry,omitempty" yaml:"carry,omitempty" bson:"carry,omitempty"`
	// Within makes a date one of the period's: inside it, give or take
	// the window's grace, and never after today.
	Within *Window `json:"within,omitempty" yaml:"within,omitempty" bson:"within,omitempty"`
	// Rooms marks a repeat group of one row per classroom: fewer rows than
	// the school's registered classrooms need an explanation.
	Rooms bool `json:"rooms,omitempty" yaml:"rooms,omitempty" bson:"rooms,omitempty"`
	// Column titles the field's column in exported tables, in place of its
	// label and unit, where those make too long a header for a narrow
	// column ("早餐陪餐餐数" for "有陪餐记录的早餐餐数（餐）").
	Column *Text `json:"column,omitempty" yaml:"column,omitempty" bson:"column,omitempty"`
}

// ComplianceRule decides whether a school meets an indicator's target. Rule
// is JSON Logic that evaluates truthy when compliant; Reason explains a
// failure and may hold {name} placeholders filled from Vars, JSON Logic
// expressions evaluated on the same data.
type ComplianceRule struct {
	ID     string         `json:"id" yaml:"id" bson:"id"`
	Rule   any            `json:"rule" yaml:"rule" bson:"rule"`
	Reason Text           `json:"reason" yaml:"reason" bson:"reason"`
	Vars   map[string]any `json:"vars,omitempty" yaml:"vars,omitempty" bson:"vars,omitempty"`
}

// Indicator is one thing a plan asks schools to report, as in the catalog.
// Targets are named defaults that rules read as {"var": "target.<name>"}
// and that a plan may override.
type Indicator struct {
	Code       string             `json:"code" yaml:"code" bson:"_id"`
	Name       Text               `json:"name" yaml:"name" bson:"name"`
	Help       Text               `json:"help" yaml:"help" bson:"help"`
	Category   string             `json:"category" yaml:"category" bson:"category"`
	Frequency  string             `json:"frequency" yaml:"frequency" bson:"frequency"`
	Stages     []string           `json:"stages" yaml:"stages" bson:"stages"`
	Fields     []Field            `json:"fields" yaml:"fields" bson:"fields"`
	Compliance []ComplianceRule   `json:"compliance" yaml:"compliance" bson:"compliance"`
	Targets    map[string]float64 `json:"targets,omitempty" yaml:"targets,omitempty" bson:"targets,omitempty"`
	Source     string             `json:"source" yaml:"source" bson:"source"`
	Builtin    bool               `json:"builtin" yaml:"-" bson:"builtin"`
}

// Plan is a bureau's selection of indicators for a year, with its own targets.
type Plan struct {
	ID    string     `json:"id" bson:"_id"`
	Name  string     `json:"name" bson:"name"`
	Year  int        `json:"year" bson:"year"`
	Items []PlanItem `json:"items" bson:"items"`
}

// PlanItem selects one indicator; Frequency and Targets override the
// indicator's defaults when set.
type PlanItem struct {
	Indicator string             `json:"indicator" bson:"indicator"`
	Frequency string             `json:"frequency,omitempty" bson:"frequency,omitempty"`
	Targets   map[string]float64 `json:"targets,omitempty" bson:"targets,omitempty"`
}

// Form is a generated form definition: immutable, identified by Version, the
// hash of its content. Field ids are namespaced by their section's indicator
// code: values travel as {"<indicator>": {"<field>": value}}.
type Form struct {
	Version   string    `json:"version" bson:"_id"`
	Plan      string    `json:"plan" bson:"plan"`
	Frequency string    `json:"frequency" bson:"frequency"`
	Stages    []string  `json:"stages" bson:"stages"`
	Title     Text      `json:"title" bson:"title"`
	Sections  []Section `json:"sections" bson:"sections"`
}

// Section is one indicator inside a form, with the plan's targets resolved.
type Section struct {
	Indicator  string             `json:"indicator" bson:"indicator"`
	Title      Text               `json:"title" bson:"title"`
	Help       Text               `json:"help" bson:"help"`
	Category   string             `json:"category" bson:"category"`
	Source     string             `json:"source" bson:"source"`
	Fields     []Field            `json:"fields" bson:"fields"`
	Compliance []ComplianceRule   `json:"compliance" bson:"compliance"`
	Targets    map[string]float64 `json:"targets,omitempty" bson:"targets,omitempty"`
}

// Values are a submission's answers: indicator code → field id → value.
// Numbers are float64 (integers too), booleans bool, dates "YYYY-MM-DD",
// multi choices []any of strings, repeat groups []any of map[string]any.
type Values map[string]map[string]any

// School is what rules may read of the submitting school as "school.<name>".
type School struct {
	Code       string   `json:"code"`
	Stages     []string `json:"stages"`
	Classrooms int      `json:"classrooms"`
	Students   int      `json:"students"`
	Public     bool     `json:"public"`
	Urban      bool     `json:"urban"`
}

// Env is the context of one submission: the school and its answers in
// earlier periods of the same schedule, for targets set against them: the
// previous period's (read as "prev.<field>") and those of the same period
// of the previous year ("prevYear.<field>": November with last November,
// the autumn term with last autumn's).
type Env struct {
	School       School
	Previous     Values
	PreviousYear Values
	// History holds the school's handed-in values in the last
	// HistoryPeriods periods, the previous one first; a period without a
	// report is nil.
	History []Values
	// Period is the reporting period's first and last day and today, for
	// dates that must fall within it; zero when unknown.
	Period Span
	// Explained holds the fields ("lighting.classrooms") the school gave a
	// 说明 for, read by rules as "explained.<field>".
	Explained map[string]bool
}

// FieldError is one problem with a submission, keyed by the field's path
// ("lighting.classrooms[3].desk_lux").
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message Text   `json:"message"`
}

// Compliance statuses.
const (
	Compliant     = "compliant"
	Noncompliant  = "noncompliant"
	NotApplicable = "not_applicable"
)

// Result is one indicator's compliance verdict for a submission.
type Result struct {
	Indicator string `json:"indicator" bson:"indicator"`
	Status    string `json:"status" bson:"status"`
	Reason    Text   `json:"reason,omitzero" bson:"reason,omitempty"`
}
