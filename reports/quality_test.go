package reports

import "testing"

func TestQualityScore(t *testing.T) {
	tests := []struct {
		name  string
		facts QualityFacts
		want  int
	}{
		{"not handed in", QualityFacts{Late: true}, 0},
		{"on time, nothing to chase", QualityFacts{Submitted: true}, 100},
		{"late", QualityFacts{Submitted: true, Late: true}, 80},
		{"returned twice", QualityFacts{Submitted: true, Returns: 2}, 80},
		{"returns stop at 30", QualityFacts{Submitted: true, Returns: 5}, 70},
		{"returned after approval", QualityFacts{Submitted: true, Returns: 1, AfterApproval: 1}, 80},
		{"changes after approval stop at 20", QualityFacts{Submitted: true, AfterApproval: 4}, 80},
		{"one explained anomaly", QualityFacts{Submitted: true, Explained: 1}, 95},
		{"one unexplained anomaly", QualityFacts{Submitted: true, Unexplained: 1}, 85},
		{"anomalies stop at 30", QualityFacts{Submitted: true, Explained: 3, Unexplained: 3}, 70},
		{"everything at once", QualityFacts{Submitted: true, Late: true, Returns: 9, AfterApproval: 9, Unexplained: 9}, 0},
	}
	for _, tt := range tests {
		if got := QualityScore(tt.facts); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}
