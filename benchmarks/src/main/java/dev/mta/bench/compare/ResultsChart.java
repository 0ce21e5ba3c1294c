package dev.mta.bench.compare;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bar chart (XChart, PNG) of delivered messages a second: one group of bars per scenario, one bar per run, on a
 * logarithmic axis.
 */
final class ResultsChart {
    private ResultsChart() {
    }

    static void write(List<RunResult> results, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> scenarios = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (RunResult r : results) {
            if (!scenarios.contains(r.scenario())) {
                scenarios.add(r.scenario());
            }
        }
        for (RunResult r : results) {
            series.computeIfAbsent(r.server(), k -> new ArrayList<>(java.util.Collections.nCopies(scenarios.size(),
                    0.0))).set(scenarios.indexOf(r.scenario()), r.deliveredPerSecond());
        }
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(800, 160 * scenarios.size())).height(520)
                .title("Delivered messages per second (load → server → sink, loopback; logarithmic scale)")
                .xAxisTitle("size / sessions / connection").yAxisTitle("delivered/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisLabelRotation(30);
        // The ceiling is 10 to 50 times the servers: on a linear axis their bars would be slivers.
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(100.0);
        List<String> labels = scenarios.stream().map(Scenario::shortLabel).toList();
        series.forEach((name, values) -> chart.addSeries(name, labels, values));
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
