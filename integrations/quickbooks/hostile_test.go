package quickbooks_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	qb "dealbooks/integrations/quickbooks"
	"dealbooks/internal/testkit"
)

// hostile is a QuickBooks client pointed at handler, an httptest server on 127.0.0.1 that plays a misbehaving
// QuickBooks; it counts the requests that reach it.
func hostile(t *testing.T, handler http.HandlerFunc, tweak ...func(*qb.Config)) (*qb.Client, *atomic.Int64, func() []time.Duration) {
	t.Helper()
	srv, requests := testkit.CountingServer(t, handler)
	clk := newFakeClock()
	cfg := qb.Config{
		BaseURL: srv.URL, RealmID: "9130", Clock: clk,
		TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "access", Expiry: time.Now().Add(time.Hour)}),
	}
	for _, f := range tweak {
		f(&cfg)
	}
	c, err := qb.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, requests, clk.Slept
}

// fullPage is a query answer holding a whole page (1000) of Items, numbered from first.
func fullPage(first int) string {
	items := make([]string, qb.MaxResults)
	for i := range items {
		items[i] = fmt.Sprintf(`{"Id":"%d","Name":"Item %d","Type":"Service"}`, first+i, first+i)
	}
	return `{"QueryResponse":{"Item":[` + strings.Join(items, ",") + `],"startPosition":1,"maxResults":1000}}`
}

func TestEndlessQueryPagingIsStopped(t *testing.T) {
	t.Run("the same page again and again", func(t *testing.T) {
		c, requests, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, fullPage(1))
		})
		_, err := c.Items(context.Background())
		if !errors.Is(err, qb.ErrEndlessListing) {
			t.Fatalf("Items = %v, want ErrEndlessListing", err)
		}
		testkit.Eq(t, "requests", requests.Load(), 2) // the second page is the first one again
	})
	t.Run("new full pages without end", func(t *testing.T) {
		var next atomic.Int64
		c, requests, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, fullPage(int(next.Add(qb.MaxResults))))
		}, func(c *qb.Config) { c.MaxPages = 20 })
		_, err := c.Items(context.Background())
		if !errors.Is(err, qb.ErrEndlessListing) {
			t.Fatalf("Items = %v, want ErrEndlessListing", err)
		}
		testkit.Eq(t, "requests", requests.Load(), 21) // 20 pages allowed: the 21st is read, then refused
	})
}

// zeros writes zero bytes until the client stops reading.
func zeros(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/pdf")
	buf := make([]byte, 64<<10)
	for {
		if _, err := w.Write(buf); err != nil {
			return
		}
	}
}

func TestHugePDFIsRefused(t *testing.T) {
	t.Run("streamed without a length", func(t *testing.T) {
		c, _, _ := hostile(t, zeros)
		rc, err := c.InvoicePDF(context.Background(), "1")
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		n, err := io.Copy(io.Discard, rc)
		if !errors.Is(err, qb.ErrTooLarge) {
			t.Fatalf("reading an endless PDF: %v after %d bytes, want ErrTooLarge", err, n)
		}
		testkit.Eq(t, "bytes handed on", n, int64(qb.MaxPDFSize))
		if !strings.Contains(err.Error(), "PDF") {
			t.Errorf("error %q does not say the PDF was too large", err)
		}
	})
	t.Run("announced as 1 GB", func(t *testing.T) {
		c, _, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(1<<30))
			zeros(w, r)
		})
		_, err := c.InvoicePDF(context.Background(), "1")
		if !errors.Is(err, qb.ErrTooLarge) {
			t.Fatalf("InvoicePDF = %v, want ErrTooLarge before reading", err)
		}
	})
}

func TestHugeJSONAnswerIsRefused(t *testing.T) {
	c, _, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"Preferences":{"Id":"`)
		zeros(w, r)
	})
	if _, err := c.Preferences(context.Background()); !errors.Is(err, qb.ErrTooLarge) {
		t.Fatalf("Preferences = %v, want ErrTooLarge", err)
	}
}

func TestRetryAfterOfAMonthIsReturnedAtOnce(t *testing.T) {
	for _, header := range []string{"2592000", time.Now().Add(30 * 24 * time.Hour).UTC().Format(http.TimeFormat)} {
		t.Run(header, func(t *testing.T) {
			c, requests, slept := hostile(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", header)
				w.WriteHeader(http.StatusTooManyRequests)
				io.WriteString(w, `{"Fault":{"Error":[{"Message":"message=ThrottleExceeded","code":"003001"}],"type":"ThrottlingFault"}}`)
			})
			_, err := c.Items(context.Background())
			var rl *qb.RateLimitedError
			if !errors.As(err, &rl) || !errors.Is(err, qb.ErrThrottled) {
				t.Fatalf("Items = %v, want a *RateLimitedError", err)
			}
			if rl.RetryAfter < 29*24*time.Hour {
				t.Errorf("RetryAfter = %v, want about a month", rl.RetryAfter)
			}
			testkit.Eq(t, "requests", requests.Load(), 1)
			testkit.Eq(t, "waits", len(slept()), 0)
		})
	}
}
