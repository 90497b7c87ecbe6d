// Package uitest walks the objects of a Fyne window, for tests that look for what it shows.
package uitest

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Walk visits o and every object inside it, including the widgets a widget's renderer draws, hidden or
// not. visit returns false to skip what is inside the object.
func Walk(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) {
	walk(o, false, visit)
}

// WalkVisible is Walk over what the user can see: a hidden object, and all inside it, is not visited.
func WalkVisible(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) {
	walk(o, true, visit)
}

func walk(o fyne.CanvasObject, visibleOnly bool, visit func(fyne.CanvasObject) bool) {
	if visibleOnly && !o.Visible() || !visit(o) {
		return
	}
	switch o := o.(type) {
	case *fyne.Container:
		for _, child := range o.Objects {
			walk(child, visibleOnly, visit)
		}
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(o).Objects() {
			walk(child, visibleOnly, visit)
		}
	}
}
