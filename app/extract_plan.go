package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/tianbao-edu/tianbao/forms/extract"
)

// runExtractPlan reads the plan text named in args[0] and prints the
// candidates the extractor proposes as an aligned table: clause, topic,
// level, target, frequency and catalog indicators.
func runExtractPlan(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: tianbao extract-plan FILE.txt")
	}
	text, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	res, err := extract.Extract(string(text))
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	rows := [][]string{{"#", "clause", "topic", "level", "target", "frequency", "indicators"}}
	for i, c := range res.Candidates {
		rows = append(rows, []string{strconv.Itoa(i), clip(c.Clause, 24), c.Topic, c.Level,
			clip(formatTarget(c.Target), 36), c.Frequency, formatIndicators(c.Indicators)})
	}
	if err := writeTable(stdout, rows); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "\n%d candidates, %d school-level with an indicator\n",
		len(res.Candidates), len(res.SchoolLevel()))
	return err
}

// formatTarget renders a target as "教室照明达标率 reach 100%".
func formatTarget(t *extract.Target) string {
	if t == nil {
		return ""
	}
	if t.Comparator == extract.Zero {
		return t.Metric + " zero"
	}
	v := strconv.FormatFloat(t.Value, 'f', -1, 64)
	if t.Max > t.Value {
		v += "-" + strconv.FormatFloat(t.Max, 'f', -1, 64)
	}
	return fmt.Sprintf("%s %s %s%s", t.Metric, t.Comparator, v, t.Unit)
}

// formatIndicators renders "activity 0.90 daily_minutes=120, fitness 0.70".
func formatIndicators(ims []extract.IndicatorMatch) string {
	parts := make([]string, 0, len(ims))
	for _, m := range ims {
		s := fmt.Sprintf("%s %.2f", m.Code, m.Confidence)
		if m.Target != "" && m.Value != nil {
			s += " " + m.Target + "=" + strconv.FormatFloat(*m.Value, 'f', -1, 64)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// writeTable writes rows with columns padded to their display width (Chinese
// characters take two terminal cells, which text/tabwriter does not know).
func writeTable(w io.Writer, rows [][]string) error {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, cell := range r {
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, cell := range r {
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// clip shortens s to at most n display cells, marking the cut with "…".
func clip(s string, n int) string {
	if displayWidth(s) <= n {
		return s
	}
	w := 0
	for i, r := range s {
		if w+runeWidth(r) > n-1 {
			return s[:i] + "…"
		}
		w += runeWidth(r)
	}
	return s
}

func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

// runeWidth is 2 for East Asian wide characters (CJK, full-width forms).
func runeWidth(r rune) int {
	switch {
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
		r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
		r >= 0xFFE0 && r <= 0xFFE6:
		return 2
	}
	return 1
}
