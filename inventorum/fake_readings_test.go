package inventorum_test

import (
	"context"
	"testing"
	"time"

	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each reading switch of the fake changes its answers as documented.
func TestFakeDeltaReadings(t *testing.T) {
	ctx := context.Background()
	delta := func(t *testing.T, c *inventorum.Client, o inventorum.DeltaOptions) *inventorum.Page {
		t.Helper()
		o.Channel = inventorum.ChannelShop
		p, err := c.Orders.Delta(ctx, &o)
		require.NoError(t, err)
		return p
	}
	setup := func(t *testing.T, rd inventorumtest.DeltaReading) (*inventorumtest.Server, *inventorum.Client, []inventorum.Order) {
		fake, c := newFake(t)
		fake.SetDeltaReading(rd)
		var all []inventorum.Order
		for i := 0; i < 6; i++ {
			all = append(all, add(fake, inventorum.ChannelShop, t0.Add(time.Duration(i/2)*time.Second+1500*time.Microsecond)))
		}
		return fake, c, all
	}

	t.Run("start_date inclusive or exclusive", func(t *testing.T) {
		_, c, all := setup(t, inventorumtest.DeltaReading{Resolution: time.Millisecond})
		p := delta(t, c, inventorum.DeltaOptions{StartDate: all[2].DeltaTime()})
		assert.Equal(t, ids(all[2:]), ids(p.Data))
		assert.EqualValues(t, 4, p.Total)
		_, c, all = setup(t, inventorumtest.DeltaReading{Resolution: time.Millisecond, ExclusiveStart: true})
		p = delta(t, c, inventorum.DeltaOptions{StartDate: all[2].DeltaTime()})
		assert.Equal(t, ids(all[4:]), ids(p.Data))
		assert.EqualValues(t, 2, p.Total)
		assert.Equal(t, t0.Add(time.Millisecond), all[0].TimeAdded, "times truncated to milliseconds")
	})
	t.Run("pages from 1", func(t *testing.T) {
		_, c, all := setup(t, inventorumtest.DeltaReading{PagesFromOne: true})
		p0 := delta(t, c, inventorum.DeltaOptions{Limit: 4, Page: 0})
		p1 := delta(t, c, inventorum.DeltaOptions{Limit: 4, Page: 1})
		p2 := delta(t, c, inventorum.DeltaOptions{Limit: 4, Page: 2})
		assert.Equal(t, ids(all[:4]), ids(p0.Data))
		assert.Equal(t, ids(all[:4]), ids(p1.Data))
		assert.Equal(t, ids(all[4:]), ids(p2.Data))
	})
	t.Run("page cap", func(t *testing.T) {
		_, c, all := setup(t, inventorumtest.DeltaReading{PageCap: 2})
		p := delta(t, c, inventorum.DeltaOptions{Limit: 5, Page: 1})
		assert.Equal(t, ids(all[2:4]), ids(p.Data))
		assert.EqualValues(t, 6, p.Total)
	})
	t.Run("hidden modification time", func(t *testing.T) {
		fake, c, all := setup(t, inventorumtest.DeltaReading{HiddenModTime: true, Resolution: time.Second})
		assert.Equal(t, t0, all[0].TimeAdded, "times truncated to seconds")
		require.True(t, fake.ModifyOrder(all[1].ID, t0.Add(time.Hour), nil))
		p := delta(t, c, inventorum.DeltaOptions{})
		want := append(ids(all[:1]), ids(all[2:])...)
		assert.Equal(t, append(want, all[1].ID), ids(p.Data), "the modified order moves to the end")
		last := p.Data[len(p.Data)-1]
		assert.Equal(t, inventorum.DeltaModified, last.DeltaState)
		assert.Equal(t, all[1].CompletedAt, last.CompletedAt, "its visible times stay")
		p = delta(t, c, inventorum.DeltaOptions{StartDate: t0.Add(30 * time.Minute)})
		assert.Equal(t, []inventorum.ID{all[1].ID}, ids(p.Data), "start_date reads the hidden time")
	})
	t.Run("envelopes", func(t *testing.T) {
		for env, total := range map[string]int64{"": 6, "data": 6, "results": 6, "bare": 0} {
			_, c, all := setup(t, inventorumtest.DeltaReading{Envelope: env, PageCap: 4})
			p := delta(t, c, inventorum.DeltaOptions{})
			assert.Equal(t, ids(all[:4]), ids(p.Data), "envelope %q", env)
			assert.Equal(t, total, p.Total, "envelope %q: a bare array tells no total", env)
		}
	})
	assert.Equal(t, "ge-p0-cap2-visible-ns-bare", inventorumtest.DeltaReading{PageCap: 2, Envelope: "bare"}.String())
	assert.Equal(t, "gt-p1-cap50-hidden-s", inventorumtest.DeltaReading{ExclusiveStart: true, PagesFromOne: true, PageCap: 50, HiddenModTime: true, Resolution: time.Second}.String())
}
