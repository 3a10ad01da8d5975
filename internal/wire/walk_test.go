package wire

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEachMemberRefusesWhatIsNotAnObject(t *testing.T) {
	for _, bad := range []string{``, `{`, `{"a"`, `{"a":`, `{"a":1`, `{"a":1,`, `{a:1}`, `{"a" 1}`, `{"a":"x}`, `{"a":[1}`, `[]`, `{"a":1 "b":2}`} {
		err := EachMember([]byte(bad), func(_, _ []byte) error { return nil })
		assert.ErrorIs(t, err, ErrNotObject, bad)
	}
	var keys []string
	require.NoError(t, EachMember([]byte(` { "a" : [ {"x":"]"} ] , "b":"\"" , "c" : -1.5e3 } `), func(k, v []byte) error {
		keys = append(keys, string(k)+"="+string(v))
		return nil
	}))
	assert.Equal(t, []string{`"a"=[ {"x":"]"} ]`, `"b"="\""`, `"c"=-1.5e3`}, keys)
}

func TestEachMemberChecksValuesAndPassesFsError(t *testing.T) {
	for _, bad := range []string{`{"a":tru}`, `{"a":01}`, `{"a":"\x"}`, `{"a":[1,]}`} {
		err := EachMember([]byte(bad), func(_, _ []byte) error { return nil })
		assert.ErrorIs(t, err, ErrNotObject, bad)
	}
	stop := errors.New("stop")
	n := 0
	err := EachMember([]byte(`{"a":1,"b":2}`), func(_, _ []byte) error { n++; return stop })
	assert.Equal(t, stop, err)
	assert.Equal(t, 1, n)
	var keys []string
	require.NoError(t, EachMember([]byte(`{"\u0061":1}`), func(k, _ []byte) error { keys = append(keys, string(k)); return nil }))
	assert.Equal(t, []string{`"\u0061"`}, keys)
}
