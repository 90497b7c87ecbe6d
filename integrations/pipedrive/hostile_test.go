package pipedrive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"dealbooks/internal/testkit"
)

// hostile is a client pointed at handler, an httptest server on 127.0.0.1 that plays a misbehaving Pipedrive;
// it counts the requests that reach it.
func hostile(t *testing.T, handler http.HandlerFunc) (*Client, *atomic.Int64, func() []time.Duration) {
	t.Helper()
	srv, requests := testkit.CountingServer(t, handler)
	clk := newTestClock()
	c, err := New(Config{APIToken: "token", BaseURL: srv.URL, Clock: clk, MaxPages: 20})
	if err != nil {
		t.Fatal(err)
	}
	return c, requests, clk.Slept
}

func TestEndlessPipedrivePagingIsStopped(t *testing.T) {
	tests := []struct {
		name         string
		list         func(*Client) error
		page         func(n int64) string // the n-th answer
		wantRequests int64
	}{
		{"deals, the same cursor again", func(c *Client) error { _, err := c.AllDeals(context.Background(), DealsQuery{}); return err },
			func(int64) string { return `{"success":true,"data":[{"id":1}],"additional_data":{"next_cursor":"c1"}}` }, 2},
		{"deals, new cursors without end", func(c *Client) error { _, err := c.AllDeals(context.Background(), DealsQuery{}); return err },
			func(n int64) string {
				return fmt.Sprintf(`{"success":true,"data":[{"id":%d}],"additional_data":{"next_cursor":"c%d"}}`, n, n)
			}, 20},
		{"users, the same start again", func(c *Client) error { _, err := c.Users(context.Background()); return err },
			func(int64) string {
				return `{"success":true,"data":[{"id":1}],"additional_data":{"pagination":{"more_items_in_collection":true,"next_start":500}}}`
			}, 2},
		{"users, new starts without end", func(c *Client) error { _, err := c.Users(context.Background()); return err },
			func(n int64) string {
				return fmt.Sprintf(`{"success":true,"data":[{"id":%d}],"additional_data":{"pagination":{"more_items_in_collection":true,"next_start":%d}}}`, n, 500*n)
			}, 20},
		{"deal fields", func(c *Client) error { _, err := c.DealFields(context.Background()); return err },
			func(int64) string { return `{"success":true,"data":[],"additional_data":{"next_cursor":"again"}}` }, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int64
			c, requests, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, tt.page(n.Add(1)))
			})
			if err := tt.list(c); !errors.Is(err, ErrEndlessListing) {
				t.Fatalf("got %v, want ErrEndlessListing", err)
			}
			testkit.Eq(t, "requests", requests.Load(), tt.wantRequests)
		})
	}
}

func TestRetryAfterOfAMonthIsReturnedAtOnce(t *testing.T) {
	c, requests, slept := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "2592000")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"success":false,"error":"Request over limit"}`)
	})
	_, err := c.Me(context.Background())
	var apiErr *APIError
	if !errors.Is(err, ErrRateLimited) || !errors.As(err, &apiErr) {
		t.Fatalf("Me = %v, want ErrRateLimited", err)
	}
	testkit.Eq(t, "retry after", apiErr.RetryAfter, 30*24*time.Hour)
	testkit.Eq(t, "requests", requests.Load(), 1)
	testkit.Eq(t, "waits", len(slept()), 0)
}

func TestHugeAnswerIsRefused(t *testing.T) {
	c, _, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"success":true,"data":{"name":"`)
		buf := make([]byte, 64<<10)
		for {
			if _, err := w.Write(buf); err != nil {
				return
			}
		}
	})
	if _, err := c.Me(context.Background()); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Me = %v, want ErrTooLarge", err)
	}
}
