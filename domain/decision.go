package domain

// FirstError returns the first non-nil error of errs: a command checks its
// aggregate's state before its fields, and its fields before the rules that
// relate them to the state.
func FirstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Decision returns the outcome of a Decide: events when err is nil,
// otherwise no events and err.
func Decision(err error, events ...Event) ([]Event, error) {
	if err != nil {
		return nil, err
	}
	return events, nil
}
