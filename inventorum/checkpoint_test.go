package inventorum_test

import (
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
