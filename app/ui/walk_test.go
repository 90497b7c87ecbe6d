package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/ui/uitest"
)

// walk visits o and every object inside it, including the widgets a widget's renderer draws.
func walk(o fyne.CanvasObject, visit func(any)) {
	uitest.Walk(o, func(v fyne.CanvasObject) bool { visit(v); return true })
}

// overlayShows reports whether a dialog or pop-up over the window contains a label with text.
func overlayShows(m *MainWindow, text string) bool {
	found := false
	for _, o := range m.window.Canvas().Overlays().List() {
		walk(o, func(v any) {
			if l, ok := v.(*widget.Label); ok && l.Text == text {
				found = true
			}
		})
	}
	return found
}

// asEntry returns the entry o is, a plain one or the window's text field.
func asEntry(o any) (*widget.Entry, bool) {
	switch e := o.(type) {
	case *widget.Entry:
		return e, true
	case *textField:
		return &e.Entry, true
	}
	return nil, false
}
