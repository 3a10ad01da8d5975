package orderstate_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/orderstate"
)

func TestFlagValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		flag orderstate.State
		want uint32
	}{
		{"DRAFT", orderstate.Draft, 1},
		{"PENDING", orderstate.Pending, 2},
		{"CANCELED", orderstate.Canceled, 4},
		{"CLOSED", orderstate.Closed, 8},
		{"REFUNDED", orderstate.Refunded, 16},
		{"SHIPPED", orderstate.Shipped, 32},
		{"DELIVERED", orderstate.Delivered, 64},
		{"TEST_PRINT", orderstate.TestPrint, 128},
		{"PAID", orderstate.Paid, 256},
		{"READ", orderstate.Read, 512},
		{"COMPLETED", orderstate.Completed, 360},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, uint32(tt.flag))
			if tt.name != "COMPLETED" {
				assert.Equal(t, tt.name, tt.flag.String())
				assert.Zero(t, tt.flag.Unknown())
			}
		})
	}
	assert.Equal(t, orderstate.Paid|orderstate.Shipped|orderstate.Delivered|orderstate.Closed, orderstate.Completed)
}

func TestHas(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		state orderstate.State
		flags orderstate.State
		want  bool
	}{
		{"completed has paid", orderstate.Completed, orderstate.Paid, true},
		{"completed has closed", orderstate.Completed, orderstate.Closed, true},
		{"completed has all four", 360, orderstate.Completed, true},
		{"completed lacks refunded", orderstate.Completed, orderstate.Refunded, false},
		{"paid lacks completed", orderstate.Paid, orderstate.Completed, false},
		{"partial lacks completed", orderstate.Paid | orderstate.Shipped, orderstate.Completed, false},
		{"zero lacks draft", 0, orderstate.Draft, false},
		{"anything has no flags", 0, 0, true},
		{"unknown bit", 1024 | orderstate.Paid, 1024, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.state.Has(tt.flags))
		})
	}
}

func TestUnknown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		state orderstate.State
		want  orderstate.State
	}{
		{0, 0},
		{orderstate.Completed, 0},
		{1023, 0},
		{1024, 1024},
		{1024 | orderstate.Paid, 1024},
		{0xFFFFFFFF, 0xFFFFFC00},
	}
	for _, tt := range tests {
		t.Run(tt.state.String(), func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.state.Unknown())
		})
	}
}

func TestString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		state orderstate.State
		want  string
	}{
		{0, "0"},
		{360, "PAID|SHIPPED|DELIVERED|CLOSED"},
		{orderstate.Draft, "DRAFT"},
		{orderstate.Draft | orderstate.Read, "DRAFT|READ"},
		{orderstate.Pending | orderstate.Read, "PENDING|READ"},
		{orderstate.Completed | orderstate.Refunded, "PAID|SHIPPED|DELIVERED|CLOSED|REFUNDED"},
		{orderstate.Canceled | orderstate.TestPrint, "CANCELED|TEST_PRINT"},
		{1023, "DRAFT|PENDING|PAID|SHIPPED|DELIVERED|CLOSED|CANCELED|REFUNDED|TEST_PRINT|READ"},
		{1024 | 256, "PAID|0x400"},
		{1024, "0x400"},
		{1024 | 4096 | 1, "DRAFT|0x400|0x1000"},
		{1 << 31, "0x80000000"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.state.String())
		})
	}
}

func TestStatusMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		state orderstate.State
		want  orderstate.Status
	}{
		{"zero", 0, orderstate.StatusUnknown},
		{"draft", orderstate.Draft, orderstate.StatusOpen},
		{"pending", orderstate.Pending, orderstate.StatusPending},
		{"canceled", orderstate.Canceled, orderstate.StatusCanceled},
		{"closed", orderstate.Closed, orderstate.StatusOpen},
		{"refunded", orderstate.Refunded, orderstate.StatusRefunded},
		{"shipped", orderstate.Shipped, orderstate.StatusOpen},
		{"delivered", orderstate.Delivered, orderstate.StatusOpen},
		{"test print only", orderstate.TestPrint, orderstate.StatusUnknown},
		{"paid", orderstate.Paid, orderstate.StatusOpen},
		{"read only", orderstate.Read, orderstate.StatusUnknown},
		{"unknown bit only", 1024, orderstate.StatusUnknown},
		{"completed", orderstate.Completed, orderstate.StatusCompleted},
		{"completed and read", orderstate.Completed | orderstate.Read, orderstate.StatusCompleted},
		{"completed with unknown bit", orderstate.Completed | 1024, orderstate.StatusCompleted},
		{"paid and shipped", orderstate.Paid | orderstate.Shipped, orderstate.StatusOpen},
		{"paid shipped delivered", orderstate.Paid | orderstate.Shipped | orderstate.Delivered, orderstate.StatusOpen},
		{"draft and read", orderstate.Draft | orderstate.Read, orderstate.StatusOpen},
		{"pending and paid", orderstate.Pending | orderstate.Paid, orderstate.StatusPending},
		{"pending and draft", orderstate.Pending | orderstate.Draft, orderstate.StatusPending},
		{"refunded wins over completed", orderstate.Completed | orderstate.Refunded, orderstate.StatusRefunded},
		{"refunded wins over canceled", orderstate.Canceled | orderstate.Refunded, orderstate.StatusRefunded},
		{"canceled wins over completed", orderstate.Completed | orderstate.Canceled, orderstate.StatusCanceled},
		{"canceled wins over pending", orderstate.Pending | orderstate.Canceled, orderstate.StatusCanceled},
		{"completed wins over pending", orderstate.Completed | orderstate.Pending, orderstate.StatusCompleted},
		{"every flag", 1023, orderstate.StatusRefunded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.state.Status(), "state %s", tt.state)
		})
	}
}

func TestStateJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want orderstate.State
	}{
		{`360`, orderstate.Completed},
		{`0`, 0},
		{`1`, orderstate.Draft},
		{`"01"`, orderstate.Draft},
		{`"360"`, orderstate.Completed},
		{`" 8 "`, orderstate.Closed},
		{` 2 `, orderstate.Pending},
		{`1280`, orderstate.Paid | 1024},
		{`4294967295`, 0xFFFFFFFF},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var s orderstate.State
			require.NoError(t, json.Unmarshal([]byte(tt.in), &s))
			assert.Equal(t, tt.want, s)

			b, err := json.Marshal(s)
			require.NoError(t, err)
			var back orderstate.State
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, s, back)
		})
	}
}

func TestStateJSONNull(t *testing.T) {
	t.Parallel()
	s := orderstate.Completed
	require.NoError(t, s.UnmarshalJSON([]byte(`null`)))
	assert.Equal(t, orderstate.Completed, s, "null leaves the state as it was")

	var v struct {
		State *orderstate.State `json:"state"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"state":null}`), &v))
	assert.Nil(t, v.State)
}

func TestStateJSONErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		mention string
	}{
		{`"abc"`, "abc"},
		{`-1`, "-1"},
		{`1.5`, "1.5"},
		{`true`, "true"},
		{`{}`, "{}"},
		{`[]`, "[]"},
		{`""`, `""`},
		{`"-1"`, "-1"},
		{`"+1"`, "+1"},
		{`4294967296`, "4294967296"},
		{`3.6e2`, "3.6e2"},
		{`"12`, `12`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			s := orderstate.Paid
			err := s.UnmarshalJSON([]byte(tt.in))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "orderstate: invalid state")
			assert.Contains(t, err.Error(), tt.mention)
			assert.Equal(t, orderstate.Paid, s, "a failed decode must leave the state alone")
		})
	}
}

func TestStateMarshalJSON(t *testing.T) {
	t.Parallel()
	v := struct {
		State orderstate.State `json:"state"`
	}{orderstate.Completed | 1024}
	b, err := json.Marshal(v)
	require.NoError(t, err)
	assert.JSONEq(t, `{"state":1384}`, string(b))
}

func TestStatusString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status orderstate.Status
		want   string
		final  bool
	}{
		{orderstate.StatusUnknown, "unknown", false},
		{orderstate.StatusOpen, "open", false},
		{orderstate.StatusPending, "pending", false},
		{orderstate.StatusCompleted, "completed", true},
		{orderstate.StatusCanceled, "canceled", true},
		{orderstate.StatusRefunded, "refunded", true},
		{orderstate.StatusFailed, "failed", true},
		{orderstate.Status(7), "Status(7)", false},
		{orderstate.Status(-1), "Status(-1)", false},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.status.String())
			assert.Equal(t, tt.final, tt.status.IsFinal())

			b, err := tt.status.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))

			var back orderstate.Status
			err = back.UnmarshalText(b)
			if tt.status < orderstate.StatusUnknown || tt.status > orderstate.StatusFailed {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.want)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.status, back)
		})
	}
}

func TestStatusTextErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "Completed", "COMPLETED", " open", "done", "3"} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			s := orderstate.StatusOpen
			err := s.UnmarshalText([]byte(in))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "orderstate: unknown status")
			assert.Equal(t, orderstate.StatusOpen, s)
		})
	}
}

func TestStatusJSON(t *testing.T) {
	t.Parallel()
	type order struct {
		Status orderstate.Status `json:"status"`
	}
	b, err := json.Marshal(order{orderstate.StatusCompleted})
	require.NoError(t, err)
	assert.JSONEq(t, `{"status":"completed"}`, string(b))

	var o order
	require.NoError(t, json.Unmarshal([]byte(`{"status":"refunded"}`), &o))
	assert.Equal(t, orderstate.StatusRefunded, o.Status)

	require.Error(t, json.Unmarshal([]byte(`{"status":"done"}`), &o))
}

func FuzzStateUnmarshalJSON(f *testing.F) {
	for _, s := range []string{`360`, `"01"`, `null`, `"abc"`, `-1`, `1.5`, `true`, `{}`, `""`, `4294967296`, `"`, `" 8 "`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var s orderstate.State
		if err := s.UnmarshalJSON(in); err != nil {
			return
		}
		_ = s.String()
		_ = s.Status().String()
		b, err := json.Marshal(s)
		require.NoError(t, err)
		var back orderstate.State
		require.NoError(t, json.Unmarshal(b, &back))
		require.Equal(t, s, back)
	})
}
