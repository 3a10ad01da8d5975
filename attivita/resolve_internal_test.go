package attivita

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClaimsKeepTheLatestAndTheFirstOwner(t *testing.T) {
	var c claims
	lostA, lostB := &LostOrderError{}, &LostOrderError{}
	c.claim("a", lostA)
	c.claim("a", lostB) // the first owner stays
	assert.False(t, c.takenFrom("a", lostA))
	assert.True(t, c.takenFrom("a", lostB))
	c.claim("answered", nil)
	assert.True(t, c.takenFrom("answered", lostA), "an answered create's order belongs to no lost one")
	assert.False(t, c.takenFrom("unknown", lostA))

	for i := range claimsKept - 1 {
		c.claim(strconv.Itoa(i), nil)
	}
	assert.False(t, c.takenFrom("a", lostB), "the oldest claim is forgotten")
	assert.True(t, c.takenFrom("answered", lostA))
	assert.True(t, c.takenFrom(strconv.Itoa(claimsKept-2), lostA))
}
