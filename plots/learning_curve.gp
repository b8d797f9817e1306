# learning_curve.gp: learning curves, one line per configuration: the mean over the runs of
# each episode's return (or length, or value error), with its 95% interval as a shaded band,
# as in Sutton & Barto's Figure 6.4 (cliff walking) and Zhao's Figs 7.2-7.3; or, with
# xaxis='step', the value error per logged step (Zhao Figs 7.4-7.5); or, with
# xaxis='update', the training loss or the value error per logged update (Zhao Fig 8.11).
# Lines are labelled by the configuration's algorithm and swept values (configs.csv).
#
#   gnuplot -e "dir='results/x'" plots/learning_curve.gp
#   gnuplot -e "dir='results/x'; metric='length'; term='svg'" plots/learning_curve.gp
#   gnuplot -e "dir='results/x'; metric='value_rmse'; xaxis='step'; logy=1; \
#               data='results/x/plots/steps_value_rmse.csv'" plots/learning_curve.gp
#   gnuplot -e "dir='results/x'; metric='loss'; xaxis='update'; logy=1; \
#               data='results/x/plots/updates_loss.csv'" plots/learning_curve.gp
#
# Reads DIR/configs.csv and DIR/summary.csv, or the file `data` with the same columns for the
# metric (config, episode or step, runs, mean_M, ci95_low_M, ci95_high_M): `gridrl plot`
# writes DIR/plots/curves_M.csv, smoothed by a trailing moving average when asked
# (--smooth N), DIR/plots/steps_value_rmse.csv, steps.csv summarised per logged step, and
# DIR/plots/updates_M.csv, updates.csv summarised per logged update.
#
# Variables (-e "name=value; ..."):
#   dir     the results directory (required)
#   metric  'return' (default), 'length', 'value_rmse', (per update) 'loss', (per step)
#           'cumulative_reward' or 'fraction' (choices_fraction.csv: the share of marked
#           choices per episode)
#   data    the curves (default DIR/summary.csv)
#   xaxis   what column 2 of data counts: 'episode' (default), 'step' or 'update'
#   smooth  the moving-average window the data was smoothed with, for the label (default 0)
#   ymin, ymax  the range of the y axis (default: automatic)
#   logy    1: a logarithmic y axis (values <= 0 are left out); 0 (default): linear
#   term    pngcairo (default), svg or pdfcairo
#   out     the picture (default learning_curve_METRIC.png in the current directory, or
#           steps_METRIC.png when xaxis is 'step', updates_METRIC.png when it is 'update';
#           .svg or .pdf for those terminals)

if (!exists("dir")) exit error "learning_curve.gp: set dir, e.g. gnuplot -e \"dir='results/x'\" learning_curve.gp"
if (!exists("metric")) metric = 'return'
if (!exists("data")) data = dir.'/summary.csv'
if (!exists("xaxis")) xaxis = 'episode'
if (!exists("smooth")) smooth = 0
if (!exists("logy")) logy = 0
if (!exists("term")) term = 'pngcairo'
extension = term eq 'svg' ? 'svg' : term eq 'pdfcairo' ? 'pdf' : 'png'
if (!exists("out")) {
    # Run on its own, the script draws into the current directory (gridrl plot sets out to
    # DIR/plots/...). No path is ever given to a shell.
    out = sprintf('%s_%s.%s', xaxis eq 'step' ? 'steps' : \
                  xaxis eq 'update' ? 'updates' : 'learning_curve', metric, extension)
}

reset
set datafile separator comma
set datafile nocolumnheaders

# Each configuration's label from configs.csv: "algorithm, key = value, ...".
stats dir.'/configs.csv' every ::0::0 using (0) nooutput
n_columns = STATS_columns
stats dir.'/configs.csv' every ::1 using 1 nooutput
n_configs = int(STATS_max) + 1
array header[n_columns]
array label[n_configs]
stats dir.'/configs.csv' every ::0::0 using (sum [i=1:n_columns] (header[i] = strcol(i), 0)) nooutput
stats dir.'/configs.csv' every ::1 using (k = int($1) + 1, label[k] = strcol(2), \
      sum [i=3:n_columns] (label[k] = label[k].', '.header[i].' = '.strcol(i), 0)) nooutput

set datafile columnheaders
mean = 'mean_'.metric
low = 'ci95_low_'.metric
high = 'ci95_high_'.metric
# Learners only: a planner's configuration has no rows; value_rmse may be empty throughout.
# A configuration of one run has no interval: it gets a line without a band.
array has_rows[n_configs]
array has_band[n_configs]
do for [k=1:n_configs] { has_rows[k] = 0; has_band[k] = 0 }
stats data using (k = int($1) + 1, v = column(mean), has_rows[k] = has_rows[k] || v == v, \
      v = column(low), has_band[k] = has_band[k] || v == v, $3) nooutput
runs = int(STATS_max)
stats data using 2 nooutput
xmax = STATS_max
drawn = ''
banded = ''
do for [k=1:n_configs] {
    if (has_rows[k]) { drawn = drawn.sprintf(' %d', k - 1) }
    if (has_band[k]) { banded = banded.sprintf(' %d', k - 1) }
}
if (drawn eq '') exit error sprintf("learning_curve.gp: no %s values in %s", mean, data)

width = 900
height = 560 + 18 * int((n_configs - 1) / 2)
if (term eq 'pdfcairo') {
    eval sprintf("set terminal pdfcairo size %g,%g font ',11' noenhanced", width / 72.0, height / 72.0)
} else {
    eval sprintf("set terminal %s size %d,%d font ',11' noenhanced", term, width, height)
}
set output out

# A qualitative palette (Tableau 10): the first two are Sutton & Barto's blue and red.
array colour[10] = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', \
                    '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']
do for [k=1:10] { eval sprintf("set linetype %d lc rgb '%s' lw 1.5", k, colour[k]) }
set linetype cycle 10

name = metric eq 'return' ? 'return (sum of rewards during the episode)' : \
       metric eq 'length' ? 'episode length (steps)' : \
       metric eq 'loss' ? 'training loss (mean over the batch)' : \
       metric eq 'cumulative_reward' ? 'cumulative reward (every reward of the run so far)' : \
       metric eq 'fraction' ? 'fraction of the counted choices (choices.csv)' : \
       'RMSE of the values against the truth'
set ylabel name.(logy ? '   (log scale)' : '')
set xlabel sprintf('%s%s', xaxis, smooth > 1 ? \
                   sprintf('   (moving average over %d %s)', smooth, \
                           xaxis eq 'episode' ? 'episodes' : 'logged '.xaxis.'s') : '')
# The last x tic's label is centred on the right border: room for half of a long one.
digits = strlen(sprintf('%d', int(xmax)))
if (digits >= 4) { eval sprintf('set rmargin %d', (digits + 1) / 2 + 2) }
if (logy) {
    set logscale y
    set format y '%g'
    # Within less than three decades, also tics at 2 and 5 times the powers of ten: powers
    # of ten alone are too few to read a value by.
    ylo = 1e300
    yhi = 0
    keep(v) = v == v && v > 0 ? (ylo = v < ylo ? v : ylo, yhi = v > yhi ? v : yhi, 0) : 0
    stats data using (keep(column(mean)) + keep(column(low)) + keep(column(high))) nooutput
    if (yhi > 0 && yhi / ylo < 1000) {
        do for [e=floor(log10(ylo)):ceil(log10(yhi))] { set ytics add (2 * 10.0**e, 5 * 10.0**e) }
    }
}
set title sprintf('mean over %d run%s per configuration%s', runs, runs == 1 ? '' : 's', \
                 banded eq '' ? '' : ', 95% interval shaded')
if (exists("ymin") && exists("ymax")) { set yrange [ymin:ymax] }
if (exists("ymin") && !exists("ymax")) { set yrange [ymin:*] }
if (!exists("ymin") && exists("ymax")) { set yrange [*:ymax] }
set key below
set grid lc rgb '#e0e0e0' lt 1
set border 3
set tics nomirror
set style fill transparent solid 0.2 noborder

# One band and one line per configuration that has curves (planners have none).
mine(k, x) = int($1) == k ? x : NaN
config(i) = int(word(drawn, i))
band(i) = int(word(banded, i))
lines = "for [i=1:words(drawn)] data using 2:(mine(config(i), column(mean))) " \
        ."with lines lc config(i) + 1 title label[config(i) + 1]"
if (banded eq '') {
    plot @lines
} else {
    plot for [i=1:words(banded)] data using 2:(mine(band(i), column(low))):(column(high)) \
            with filledcurves lc band(i) + 1 notitle, \
         @lines
}
