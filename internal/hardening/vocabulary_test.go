package hardening_test

import (
	"testing"
	"time"

	"github.com/orderkit/orderkit/adility/adilitytest"
	"github.com/orderkit/orderkit/attivita/attivitatest"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
)

// faultVocabulary is the one set of faults, clock and request count every
// fake offers under the same names and signatures.
type faultVocabulary interface {
	FailNext(status int, body string)
	FailNextRetryAfter(status int, after time.Duration, body string)
	DropNextBeforeActing()
	DropNextAfterActing()
	FailNextAfterActing(status int, body string)
	TruncateNextAfterActing()
	DelayNext(d time.Duration)
	Count(method, path string) int
	SetClock(now func() time.Time)
}

func TestFakesShareOneFaultVocabulary(t *testing.T) {
	t.Parallel()
	for name, f := range map[string]faultVocabulary{
		"attivitatest":      attivitatest.NewServer(),
		"inventorumtest":    inventorumtest.NewServer(),
		"versacommercetest": versacommercetest.NewServer(),
		"adilitytest":       adilitytest.NewServer(adilitytest.APIKey),
	} {
		if f.Count("GET", "/") != 0 {
			t.Errorf("%s: a new fake counts requests it never had", name)
		}
	}
}
