package reports

import (
	"math"
	"strconv"
	"strings"

	"github.com/tianbao-edu/tianbao/forms"
)

// layout is the union of a field list across form versions: one column per
// field id, ordered by first appearance (oldest version first), so a field
// added or removed between versions never moves another column.
type layout struct {
	fields   []*forms.Field // each id's definition where it first appeared
	index    map[string]int
	seen     map[string]map[string]*forms.Field // version → id → field
	versions map[string][]*forms.Field          // version → field per column, nil where absent
}

func newLayout() *layout {
	return &layout{index: map[string]int{}, seen: map[string]map[string]*forms.Field{}}
}

// add records the fields of one form version.
func (l *layout) add(version string, fields []forms.Field) {
	byID := map[string]*forms.Field{}
	for i := range fields {
		f := &fields[i]
		byID[f.ID] = f
		if _, ok := l.index[f.ID]; !ok {
			l.index[f.ID] = len(l.fields)
			l.fields = append(l.fields, f)
		}
	}
	l.seen[version] = byID
}

// seal aligns every version's fields with the final columns.
func (l *layout) seal() {
	l.versions = make(map[string][]*forms.Field, len(l.seen))
	for v, byID := range l.seen {
		aligned := make([]*forms.Field, len(l.fields))
		for i, f := range l.fields {
			aligned[i] = byID[f.ID]
		}
		l.versions[v] = aligned
	}
	l.seen = nil
}

// of returns the field definitions for a submission of the given form
// version: the version's own (nil where it lacks a column), or the columns'
// first definitions when the version is unknown.
func (l *layout) of(version string) []*forms.Field {
	if fs, ok := l.versions[version]; ok {
		return fs
	}
	return l.fields
}

// section is one indicator across all form versions of a drive.
type section struct {
	indicator string
	title     string
	source    string // the plan clause or standard behind it, as the newest form says
	fields    *layout
	repeats   []*repeatGroup
}

// repeatGroup is one repeat field of a section, with its nested fields.
type repeatGroup struct {
	id     string
	label  string
	fields *layout
}

// plan gathers the sections of every form version, in first-appearance
// order, with their fields and repeat groups.
func plan(all []*forms.Form) []*section {
	var secs []*section
	byCode := map[string]*section{}
	for _, form := range all {
		if form == nil {
			continue
		}
		for si := range form.Sections {
			s := &form.Sections[si]
			sec := byCode[s.Indicator]
			if sec == nil {
				sec = &section{indicator: s.Indicator, title: s.Title.Zh, fields: newLayout()}
				byCode[s.Indicator] = sec
				secs = append(secs, sec)
			}
			if s.Source != "" {
				sec.source = s.Source
			}
			sec.fields.add(form.Version, s.Fields)
			for fi := range s.Fields {
				f := &s.Fields[fi]
				if f.Type != forms.Repeat {
					continue
				}
				g := sec.repeat(f)
				g.fields.add(form.Version, f.Fields)
			}
		}
	}
	for _, sec := range secs {
		sec.fields.seal()
		for _, g := range sec.repeats {
			g.fields.seal()
		}
	}
	return secs
}

func (s *section) repeat(f *forms.Field) *repeatGroup {
	for _, g := range s.repeats {
		if g.id == f.ID {
			return g
		}
	}
	g := &repeatGroup{id: f.ID, label: f.Label.Zh, fields: newLayout()}
	s.repeats = append(s.repeats, g)
	return g
}

// has reports whether the given form version carries this section.
func (s *section) has(version string) bool {
	_, ok := s.fields.versions[version]
	return ok
}

// stageForms says, per form version, which stages it serves.
type stageForms []*forms.Form

// applies reports whether a school is expected to answer a section: its
// submission's form carries it, or, without a known form, some form serving
// one of the school's stages does (or no form says which stages it serves).
func (sf stageForms) applies(sec *section, row *SchoolRow) bool {
	if sub := row.Submission; sub != nil {
		if _, known := sec.fields.versions[sub.FormVersion]; known {
			return true
		}
		for _, f := range sf {
			if f != nil && f.Version == sub.FormVersion {
				return false
			}
		}
	}
	matched := false
	for _, f := range sf {
		if f == nil || !overlaps(f.Stages, row.School.Stages) {
			continue
		}
		matched = true
		if sec.has(f.Version) {
			return true
		}
	}
	return !matched
}

func overlaps(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// header is a field's column title and the unit shown after it: the
// form's short column title where it gives one, else the zh label and unit
// (a rate shows its unit in its format).
func header(f *forms.Field) (title, unit string) {
	if f.Column != nil && strings.TrimSpace(f.Column.Zh) != "" {
		return clean(f.Column.Zh), ""
	}
	label := clean(f.Label.Zh)
	if label == "" {
		label = f.ID
	}
	switch {
	case f.Type == forms.Repeat:
		return label, "（条数）"
	case f.Unit != "" && !isRate(f):
		return label, "（" + clean(f.Unit) + "）"
	}
	return label, ""
}

// headedCol is a field's column for values of the given width under its
// header: the unit follows the title where the title's last line has room
// for it, else takes a line of its own, so it is never broken over two.
func headedCol(f *forms.Field, content int) col {
	title, unit := header(f)
	c := newCol(title+unit, content)
	if unit != "" && linesFor(title+unit, c.width, cellSize) > linesFor(title, c.width, cellSize) {
		c = newCol(title+"\n"+unit, content)
		for linesFor(unit, c.width, cellSize) > 1 {
			c.width++
		}
	}
	return c
}

// maxHeadLines is how many lines a header wraps to before its column
// widens: long labels wrap rather than widen the sheet.
const maxHeadLines = 4

// textWidth is the widest a text field's column is: longer text wraps in
// it, growing its row, rather than widening the sheet or being cut.
const textWidth = 14

// fieldCol is a field's column: its header and a width that fits its
// values and wraps its header on at most maxHeadLines lines.
func fieldCol(f *forms.Field) col {
	if f.Type == forms.String && (f.MaxLength == 0 || f.MaxLength > textWidth) {
		c := headedCol(f, textWidth)
		c.wrap = true
		return c
	}
	return headedCol(f, fieldWidth(f))
}

// wrapCol is a column whose text wraps, growing its row.
func wrapCol(title string, content int) col {
	c := newCol(title, content)
	c.wrap = true
	return c
}

// newCol is a column showing values of the given width under a title that
// wraps.
func newCol(title string, content int) col {
	w := colWidth(content)
	for w < 40 && linesFor(title, w, cellSize) > maxHeadLines {
		w++
	}
	return col{title: title, width: w}
}

// fieldWidth estimates the width a field's values need: a count as many
// digits as the largest value its form allows, where the form bounds it.
func fieldWidth(f *forms.Field) int {
	switch f.Type {
	case forms.Integer:
		if f.Max != nil {
			w := digits(*f.Max)
			if f.Min != nil && *f.Min < 0 {
				w = max(w, digits(*f.Min)+1)
			}
			return w
		}
		return 6
	case forms.Repeat:
		if f.MaxRows > 0 {
			return digits(float64(f.MaxRows))
		}
		return 6
	case forms.Computed:
		if isRate(f) {
			return 6
		}
		return 5 // unbounded: a count or sum of five digits
	case forms.Decimal:
		return 7 + min(f.Precision, 4)
	case forms.Percent:
		return 6
	case forms.Boolean:
		return 3
	case forms.Date:
		return 10
	case forms.Choice:
		w := 0
		for _, o := range f.Options {
			w = max(w, width(o.Label.Zh))
		}
		return min(w, 16)
	case forms.Multi:
		return 16
	case forms.String:
		if f.MaxLength > 0 {
			return min(f.MaxLength, textWidth)
		}
		return textWidth
	}
	return 8
}

// digits is how many digits the whole part of a number has.
func digits(v float64) int {
	return len(strconv.FormatFloat(math.Abs(math.Trunc(v)), 'f', 0, 64))
}
