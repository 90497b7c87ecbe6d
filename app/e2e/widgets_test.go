package e2e

import (
	"dealbooks/app/ui/uitest"
	"reflect"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// These helpers look at the window as the rep sees it: only what is visible, found by the words on it.

// all returns the visible objects of type T in o, in the order they are laid out.
func all[T fyne.CanvasObject](o fyne.CanvasObject) []T {
	var found []T
	uitest.WalkVisible(o, func(v fyne.CanvasObject) bool {
		if t, ok := v.(T); ok {
			found = append(found, t)
		}
		return true
	})
	return found
}

// entries returns the text entries in o: Fyne's, and the window's own text fields, which embed one.
func entries(o fyne.CanvasObject) []*widget.Entry {
	var found []*widget.Entry
	uitest.WalkVisible(o, func(v fyne.CanvasObject) bool {
		if e, ok := v.(*widget.Entry); ok {
			found = append(found, e)
			return true
		}
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.Elem().Kind() == reflect.Struct {
			if f := rv.Elem().FieldByName("Entry"); f.IsValid() && f.Type() == reflect.TypeFor[widget.Entry]() {
				found = append(found, f.Addr().Interface().(*widget.Entry))
			}
		}
		return true
	})
	return found
}

// lists returns the lists in o: Fyne's, and the window's own, which embed one.
func lists(o fyne.CanvasObject) []fyne.CanvasObject {
	var found []fyne.CanvasObject
	uitest.WalkVisible(o, func(v fyne.CanvasObject) bool {
		if _, ok := v.(interface {
			ScrollToTop()
			UnselectAll()
		}); ok && v.Visible() {
			if _, isTable := v.(*widget.Table); !isTable {
				found = append(found, v)
			}
			return false
		}
		return true
	})
	return found
}

// texts returns the texts of the visible labels in o.
func texts(o fyne.CanvasObject) []string {
	var out []string
	for _, l := range all[*widget.Label](o) {
		out = append(out, l.Text)
	}
	return out
}

func shows(o fyne.CanvasObject, text string) bool {
	for _, s := range texts(o) {
		if s == text {
			return true
		}
	}
	return false
}

// content is what the window shows, without its dialogs.
func content(s *stack) fyne.CanvasObject { return s.window.Window().Content() }

// button returns the visible button labelled text in o.
func button(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, b := range all[*widget.Button](o) {
		if b.Text == text {
			return b
		}
	}
	t.Fatalf("no %q button", text)
	return nil
}

// entry returns the visible entry in o whose placeholder is hint.
func entry(t *testing.T, o fyne.CanvasObject, hint string) *widget.Entry {
	t.Helper()
	for _, e := range entries(o) {
		if e.PlaceHolder == hint {
			return e
		}
	}
	t.Fatalf("no entry for %q", hint)
	return nil
}

// dialogButton returns the button labelled text in a dialog over the window.
func dialogButton(t *testing.T, s *stack, text string) *widget.Button {
	t.Helper()
	for _, o := range s.window.Window().Canvas().Overlays().List() {
		for _, b := range all[*widget.Button](o) {
			if b.Text == text {
				return b
			}
		}
	}
	t.Fatalf("no %q button in a dialog", text)
	return nil
}

// dialogShows reports whether a dialog over the window says text.
func dialogShows(s *stack, text string) bool {
	for _, o := range s.window.Window().Canvas().Overlays().List() {
		if shows(o, text) {
			return true
		}
	}
	return false
}

// dialogTexts is everything the dialogs over the window say, for failure messages.
func dialogTexts(s *stack) []string {
	var out []string
	for _, o := range s.window.Window().Canvas().Overlays().List() {
		out = append(out, texts(o)...)
	}
	return out
}

// tabs returns the visible tab container that has a tab named text.
func tabs(t *testing.T, o fyne.CanvasObject, text string) (*container.AppTabs, *container.TabItem) {
	t.Helper()
	for _, at := range all[*container.AppTabs](o) {
		for _, item := range at.Items {
			if item.Text == text {
				return at, item
			}
		}
	}
	t.Fatalf("no %q tab", text)
	return nil, nil
}

// openTab shows the tab named text.
func openTab(t *testing.T, o fyne.CanvasObject, text string) fyne.CanvasObject {
	t.Helper()
	at, item := tabs(t, o, text)
	at.Select(item)
	return item.Content
}

// field returns the widget of the form field labelled text in o.
func field(t *testing.T, o fyne.CanvasObject, text string) fyne.CanvasObject {
	t.Helper()
	for _, f := range all[*widget.Form](o) {
		for _, item := range f.Items {
			if item.Text == text {
				return item.Widget
			}
		}
	}
	t.Fatalf("no %q field", text)
	return nil
}

// fieldEntry returns the entry of the form field labelled text.
func fieldEntry(t *testing.T, o fyne.CanvasObject, text string) *widget.Entry {
	t.Helper()
	entries := entries(field(t, o, text))
	if len(entries) != 1 {
		t.Fatalf("field %q has %d entries", text, len(entries))
	}
	return entries[0]
}

// captioned returns the text of the label that follows the label caption in a row, as in "Total 4030.89 USD".
func captioned(t *testing.T, o fyne.CanvasObject, caption string) string {
	t.Helper()
	for _, c := range all[*fyne.Container](o) {
		for i, child := range c.Objects[:max(len(c.Objects)-1, 0)] {
			if l, ok := child.(*widget.Label); ok && l.Text == caption {
				if next, ok := c.Objects[i+1].(*widget.Label); ok {
					return next.Text
				}
			}
		}
	}
	t.Fatalf("no label captioned %q", caption)
	return ""
}

// card returns the content of the card titled title.
func card(t *testing.T, o fyne.CanvasObject, title string) fyne.CanvasObject {
	t.Helper()
	for _, c := range all[*widget.Card](o) {
		if c.Title == title {
			return c.Content
		}
	}
	t.Fatalf("no %q card", title)
	return nil
}

// list returns the only visible list in o.
func list(t *testing.T, o fyne.CanvasObject) fyne.CanvasObject {
	t.Helper()
	found := lists(o)
	if len(found) != 1 {
		t.Fatalf("%d lists, want 1", len(found))
	}
	return found[0]
}

// row is one row a list shows: the thing to tap, and the texts of its labels.
type row struct {
	tap   fyne.Tappable
	texts []string
}

func (r row) has(text string) bool {
	for _, s := range r.texts {
		if s == text {
			return true
		}
	}
	return false
}

// rows returns the rows l shows, top to bottom.
func rows(l fyne.CanvasObject) []row {
	var out []row
	uitest.WalkVisible(l, func(o fyne.CanvasObject) bool {
		if tap, ok := o.(fyne.Tappable); ok {
			if r := (row{tap: tap, texts: texts(o)}); len(r.texts) > 0 { // not the scroll bar
				out = append(out, r)
			}
			return false
		}
		return true
	})
	return out
}

// rowWith returns the row of l that shows text.
func rowWith(t *testing.T, l fyne.CanvasObject, text string) row {
	t.Helper()
	for _, r := range rows(l) {
		if r.has(text) {
			return r
		}
	}
	t.Fatalf("no row shows %q; rows: %v", text, rows(l))
	return row{}
}

// retype replaces an entry's text as the rep does: select all, then type.
func retype(c fyne.Canvas, e *widget.Entry, text string) {
	c.Focus(e)
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
	test.Type(e, text)
}
