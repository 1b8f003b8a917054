package logparse

import (
	"os"
	"strconv"
)

// checksumRounds sets how much work the pipeline's last step does.
const checksumRounds = 220

// extraPassPercent of the lines are split a second time by ParseLine (0 = none, 100 = every
// line: ParseLine's work doubles). Read from LOGPARSE_EXTRA_PASS_PERCENT so one binary serves
// the A/A and A/B profiles.
var extraPassPercent = func() int {
	n, _ := strconv.Atoi(os.Getenv("LOGPARSE_EXTRA_PASS_PERCENT"))
	return n
}()
