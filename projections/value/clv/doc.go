// Package clv holds the customer-base models behind the customer-value
// and churn read models: how many transactions a customer will still
// make, whether they are still active, and what they will spend — the
// BG/NBD and Gamma-Gamma models as Fader, Hardie & Lee published and
// tested them on CDNOW.
//
// The package is pure numerics: no I/O, no events, no clock. The end of
// the calibration period is an input, so a projector that evaluates "as
// of" a time replays deterministically.
//
// # Inputs
//
// [Summarize] turns one customer's dated purchases (amounts in minor
// units) into a [Customer], as the papers do for CDNOW: purchases of one
// calendar day merge into one transaction; X is the number of
// transaction days after the first, TX the weeks from the first day to
// the last repeat day, T the weeks from the first day to the calibration
// end (inclusive: a customer first seen on 1997-01-01 has T = 272/7 =
// 38.86 at 1997-09-30), and MeanSpend the mean amount of the repeat
// days in minor units — the first purchase left out, as Fader, Hardie &
// Lee do for the Gamma-Gamma model. Time is in weeks throughout. One fit
// covers one currency.
//
// # Models
//
// BG/NBD ([FitBGNBD], [BGNBD]): while alive a customer buys at a Poisson
// rate λ ~ Gamma(r, α) and, after each transaction, dies with probability
// p ~ Beta(a, b). [BGNBD.ExpectedTransactions] is E[Y(t) | x, t_x, T],
// [BGNBD.PAlive] the probability of being alive at T, [BGNBD.Expected]
// the unconditional E[X(t)].
//
// Gamma-Gamma ([FitGammaGamma], [GammaGamma]): the amounts of a customer's
// transactions are Gamma(p, ν) with ν ~ Gamma(q, v) across customers;
// [GammaGamma.ConditionalSpend] is the expected amount of a future
// transaction given the customer's x and mean spend. [PredictedValue]
// multiplies the two: the undiscounted value expected over a horizon, in
// minor units.
//
// # Numerics
//
// Likelihoods are computed in log space (log-Gamma, log-Beta,
// log-sum-exp), so nothing overflows for large x. Fits maximise them with
// gonum's Nelder-Mead over the logarithms of the parameters (which keeps
// them positive), from all parameters 1, restarted twice from its own
// optimum; customers with equal inputs are evaluated once with a weight,
// in a fixed order, so a fit is deterministic and independent of the
// order of its input. ₂F₁ is gonum's mathext.Hypergeo, applied after
// Euler's transformation (see [BGNBD.ExpectedTransactions]); the tests
// check it against the series recursion Fader, Hardie & Lee give.
//
// On the CDNOW 1/10 sample imported as events, calibration 1997-01-01 to
// 1997-09-30, the fits reproduce the published figures: r = 0.2426,
// α = 4.4136, a = 0.7929, b = 2.4259, log-likelihood −9582.43,
// E[Y(39) | x = 2, t_x = 30.43, T = 38.86] = 1.226; on the 946 repeat
// buyers' mean spend in dollars p = 6.25, q = 3.74, v = 15.44.
//
// # Caveats
//
//   - BG/NBD lets a customer die only right after a transaction, so
//     P(alive) is exactly 1 for a customer with X = 0, however long they
//     have been silent. A churn signal must not read that as "safe"; the
//     silence of one-time buyers needs a rule of its own.
//   - Gamma-Gamma assumes a customer's spend is independent of how often
//     they buy. On CDNOW the correlation of x and mean spend among repeat
//     buyers is 0.11 (the tests log it), which the papers judge
//     negligible; check it before trusting the model on other data.
//   - Repeat buyers whose repeat purchases were all free (mean spend 0)
//     are left out of the Gamma-Gamma fit: its density lives on positive
//     amounts.
//   - Data that do not identify a model (nobody bought twice, nobody
//     went silent, everyone spends the same) make a likelihood grow as a
//     parameter runs off to 0 or infinity; the fits report
//     [ErrDegenerate] rather than such numbers.
//   - [PredictedValue] is not discounted.
//   - The expectations divide by a − 1; within 1e-5 of a = 1 they are
//     interpolated linearly between a = 1 ± 1e-5.
//
// # References
//
//   - P. S. Fader, B. G. S. Hardie, K. L. Lee (2005), "Counting Your
//     Customers" the Easy Way: An Alternative to the Pareto/NBD Model,
//     Marketing Science 24(2), 275–284.
//   - P. S. Fader, B. G. S. Hardie, K. L. Lee (2005), RFM and CLV: Using
//     Iso-Value Curves for Customer Base Analysis, Journal of Marketing
//     Research 42(4), 415–430.
//   - P. S. Fader, B. G. S. Hardie (2013), The Gamma-Gamma Model of
//     Monetary Value, http://brucehardie.com/notes/025/.
//   - P. S. Fader, B. G. S. Hardie (2013), Overcoming the BG/NBD Model's
//     #NUM! Error Problem, http://brucehardie.com/notes/027/.
//   - P. S. Fader, B. G. S. Hardie, K. L. Lee (2008), Computing P(alive)
//     Using the BG/NBD Model, http://brucehardie.com/notes/021/.
//
// Every function is safe for concurrent use; [BGNBD] and [GammaGamma] are
// plain values.
package clv
