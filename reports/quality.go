package reports

// The data-quality score of a school in a drive, 0–100: the one place it
// is defined (QUALITY.md explains it to bureau staff). A school that has
// not handed in scores 0; one that has starts at 100 and loses points for
// each thing a reviewer had to chase.
const (
	qualityLate           = 20 // handed in after the due date
	qualityPerReturn      = 10 // each time the bureau returned it
	qualityMaxReturns     = 30
	qualityPerReopen      = 10 // each change after it was approved
	qualityMaxReopens     = 20
	qualityPerExplained   = 5  // each value outside its usual range, explained
	qualityPerUnexplained = 15 // each one without a 说明
	qualityMaxAnomalies   = 30
)

// QualityFacts are what a school's score in a drive rests on.
type QualityFacts struct {
	Submitted     bool
	Late          bool
	Returns       int // times the bureau returned the submission
	AfterApproval int // times it was changed after being approved
	Explained     int // values outside their usual range with a 说明
	Unexplained   int // and without one
}

// QualityScore is a school's data-quality score in a drive, 0–100.
func QualityScore(f QualityFacts) int {
	if !f.Submitted {
		return 0
	}
	lost := min(f.Returns*qualityPerReturn, qualityMaxReturns) +
		min(f.AfterApproval*qualityPerReopen, qualityMaxReopens) +
		min(f.Explained*qualityPerExplained+f.Unexplained*qualityPerUnexplained, qualityMaxAnomalies)
	if f.Late {
		lost += qualityLate
	}
	return max(0, 100-lost)
}
