// Package accountstest plays the user's browser on the fakes' authorize pages, and wires the store into accounts, for tests that connect.
package accountstest

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Browser plays the user's browser on the fakes' authorize pages: it loads the page, presses a
// button, and follows the redirect back to Dealbooks' loopback listener. Its Open is an OpenURL.
type Browser struct {
	Decision string // "approve" or "deny"
	// Tamper, when set, changes the form before it is sent, as a page from elsewhere could.
	Tamper func(form url.Values)
	// Ignore makes the browser do nothing at all, as when the user closes the tab.
	Ignore bool
	// OnOpen, when set, runs as the page opens, e.g. the user pressing Cancel in Dealbooks.
	OnOpen func()
	// Stay makes the browser stop at the provider's redirect, as one that cannot reach Dealbooks, and
	// keep the address it would have gone to in Landed.
	Stay   bool
	Landed string
	// Opened are the addresses the browser was sent to, in order.
	Opened []string
}

// Approving is a browser that presses Approve on every page.
func Approving() *Browser { return &Browser{Decision: "approve"} }

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
var formAction = regexp.MustCompile(`<form method="post" action="([^"]+)">`)

// Open loads authURL and acts on the page as the fields say.
func (b *Browser) Open(authURL string) error {
	b.Opened = append(b.Opened, authURL)
	if b.OnOpen != nil {
		b.OnOpen()
	}
	if b.Ignore {
		return nil
	}
	resp, err := http.Get(authURL)
	if err != nil {
		return err
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("authorize page answered %s: %s", resp.Status, page)
	}
	action := formAction.FindStringSubmatch(string(page))
	if action == nil {
		return fmt.Errorf("authorize page has no form: %s", page)
	}
	target, err := url.Parse(authURL)
	if err != nil {
		return err
	}
	target, err = target.Parse(html.UnescapeString(action[1]))
	if err != nil {
		return err
	}
	form := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(string(page), -1) {
		form.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	form.Set("decision", b.Decision)
	if b.Tamper != nil {
		b.Tamper(form)
	}
	// The fake answers with a redirect to the loopback listener, which the client follows unless the
	// browser stays.
	client := &http.Client{}
	if b.Stay {
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	resp, err = client.Post(target.String(), "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	b.Landed = resp.Header.Get("Location")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		return fmt.Errorf("the redirect ended in %s: %s", resp.Status, body)
	}
	return nil
}
