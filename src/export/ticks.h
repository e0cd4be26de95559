/* ticks.h: round numbers for a chart's axis ("nice ticks")
 *
 * A chart whose scale ends at the data's maximum gets ticks like 0, 29, 58, 86, 115: true, but
 * hard to read off. nice_ticks() picks the top of the scale so that every tick is a round
 * number: the step is 1, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten (2.5 only from 25 up,
 * so that counts keep whole-number ticks, and never below 1), the smallest such step whose intervals reach the
 * maximum. 115 over 4 intervals gives a step of 30 and ticks 0, 30, 60, 90, 120.
 */
#ifndef AHP_TICKS_H
#define AHP_TICKS_H

/* The top of a scale from 0 that covers max in `intervals` equal steps of a round size, at
 * least min_top (so small data do not fill the chart with huge bars); *step (may be NULL)
 * receives the step. max below 0, or not finite, is taken as 0; intervals below 1 as 1.
 * Always at least 1. */
double nice_ticks(double max, int intervals, double min_top, double *step);

#endif
