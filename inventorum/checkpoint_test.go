package inventorum_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/orderkit/orderkit"

	"github.com/orderkit/orderkit/inventorum"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSaveAndLoadCheckpoint(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cp.json")

	cp, err := inventorum.LoadCheckpoint(path)
	require.NoError(t, err, "a missing file is a first run")
	assert.Empty(t, cp.Channels)

	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	want := inventorum.DeltaCheckpoint{Channels: map[inventorum.Channel]*inventorum.DeltaCursor{
		inventorum.ChannelShop: {Time: at, ID: 7, Seen: []inventorum.ID{6, 7}, Versions: []uint64{1, 2}},
	}}
	require.NoError(t, inventorum.SaveCheckpoint(path, &want))
	// Replacing an existing checkpoint.
	want.Channels[inventorum.ChannelShop].ID = 8
	require.NoError(t, inventorum.SaveCheckpoint(path, &want))
	got, err := inventorum.LoadCheckpoint(path)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file left behind")

	// An invalid checkpoint is neither saved nor loaded.
	bad := inventorum.DeltaCheckpoint{Channels: map[inventorum.Channel]*inventorum.DeltaCursor{"amazon": {}}}
	require.ErrorIs(t, inventorum.SaveCheckpoint(path, &bad), orderkit.ErrInvalidArgument)
	got, err = inventorum.LoadCheckpoint(path)
	require.NoError(t, err)
	assert.Equal(t, want, got, "the stored checkpoint is unchanged")
	require.NoError(t, os.WriteFile(path, []byte(`{"channels":{"shop":{"seen":[1,2],"versions":[1]}}}`), 0o600))
	_, err = inventorum.LoadCheckpoint(path)
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Contains(t, err.Error(), path)
	require.NoError(t, os.WriteFile(path, []byte(`{not json`), 0o600))
	_, err = inventorum.LoadCheckpoint(path)
	assert.ErrorContains(t, err, path)

	// A directory that does not exist.
	require.Error(t, inventorum.SaveCheckpoint(filepath.Join(dir, "missing", "cp.json"), &want))
}

// Versions are 64-bit digests above 2^53: stored as strings, a checkpoint
// passes unchanged through a tool that reads JSON numbers as float64 (jq
// 1.6, JavaScript), here json.Unmarshal into any and back. Checkpoints
// stored with numbers by an earlier release still load, exactly.
func TestCheckpointSurvivesFloat64Tools(t *testing.T) {
	at := time.Date(2024, 3, 1, 10, 0, 0, 123000000, time.UTC)
	want := inventorum.DeltaCheckpoint{Channels: map[inventorum.Channel]*inventorum.DeltaCursor{
		inventorum.ChannelShop: {Time: at, ID: 8791312, Seen: []inventorum.ID{8791311, 8791312},
			Versions: []uint64{1<<63 | 0x1234_5678_9abc_def1, math.MaxUint64}},
		inventorum.ChannelEbay: {Time: at, ID: 5, Seen: []inventorum.ID{5}, Versions: []uint64{1<<63 | 3}, Deferred: true},
	}}
	b, err := json.Marshal(want)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"versions":["10535140504318566129","18446744073709551615"]`)

	var anyCP any
	require.NoError(t, json.Unmarshal(b, &anyCP))
	through, err := json.Marshal(anyCP)
	require.NoError(t, err)
	var got inventorum.DeltaCheckpoint
	require.NoError(t, json.Unmarshal(through, &got))
	assert.Equal(t, want, got, "unchanged through float64")

	// The same through SaveCheckpoint and LoadCheckpoint.
	path := filepath.Join(t.TempDir(), "cp.json")
	require.NoError(t, inventorum.SaveCheckpoint(path, &want))
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &anyCP))
	through, err = json.MarshalIndent(anyCP, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, through, 0o600))
	got, err = inventorum.LoadCheckpoint(path)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	// An earlier release's numbers load exactly; a number a float64 tool
	// rounded (and wrote in exponent form) loads as the rounded value,
	// which makes its order be delivered again, never skipped.
	old := `{"channels":{"shop":{"time":"2024-03-01T10:00:00Z","id":7,"seen":[6,7],"versions":[10535140504318566129,1.0535140504318566e+19]}}}`
	var oldCP inventorum.DeltaCheckpoint
	require.NoError(t, json.Unmarshal([]byte(old), &oldCP))
	assert.Equal(t, []uint64{10535140504318566129, 10535140504318566400}, oldCP.Channels[inventorum.ChannelShop].Versions)
	for _, bad := range []string{`["x"]`, `[-1]`, `[1.5]`, `["18446744073709551616"]`} {
		err := json.Unmarshal([]byte(`{"channels":{"shop":{"seen":[1],"versions":`+bad+`}}}`), &oldCP)
		assert.ErrorContains(t, err, "checkpoint version", bad)
	}
}

// A checkpoint file emptied or rewritten by a tool (null, {}, no
// "channels", nothing at all) is an error that says how to start afresh
// on purpose, not a silent resync of the whole feed. {"channels": {}} is
// a fresh start asked for, and what a zero checkpoint is stored as.
func TestCheckpointWithoutChannels(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cp.json")
	for _, body := range []string{"null", "{}", " {} \n", `{"channels": null}`, "", "\n"} {
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
		_, err := inventorum.LoadCheckpoint(path)
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument, "%q", body)
		assert.ErrorContains(t, err, path)
		assert.ErrorContains(t, err, "delete the file")
		if body != "" && body != "\n" {
			var cp inventorum.DeltaCheckpoint
			assert.ErrorIs(t, json.Unmarshal([]byte(body), &cp), orderkit.ErrInvalidArgument, "%q", body)
		}
	}
	var zero inventorum.DeltaCheckpoint
	require.NoError(t, inventorum.SaveCheckpoint(path, &zero))
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.JSONEq(t, `{"channels": {}}`, string(raw))
	cp, err := inventorum.LoadCheckpoint(path)
	require.NoError(t, err)
	assert.Empty(t, cp.Channels)
}
