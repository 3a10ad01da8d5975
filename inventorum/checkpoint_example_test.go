package inventorum_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
)

// Keep the checkpoint in a file between runs: LoadCheckpoint takes a
// missing file for a first run, SaveCheckpoint replaces it atomically.
func ExampleSaveCheckpoint() {
	fake := inventorumtest.NewServer()
	fake.GenerateOrders(10, time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), time.Minute)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)))
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "inventorum-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "checkpoint.json")

	for run := 1; run <= 2; run++ {
		cp, err := inventorum.LoadCheckpoint(path)
		if err != nil {
			panic(err)
		}
		n := 0
		for _, err := range c.Orders.Sync(context.Background(), &cp, &inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop}}) {
			if err != nil {
				fmt.Println("error:", err)
				break
			}
			n++
		}
		if err := inventorum.SaveCheckpoint(path, &cp); err != nil {
			panic(err)
		}
		fmt.Printf("run %d: %d orders\n", run, n)
	}
	// Output:
	// run 1: 2 orders
	// run 2: 0 orders
}
