/* Writes a day's packets as capture files, one per range of hours, with libpcap. */
#ifndef SYNTH_PCAP_H
#define SYNTH_PCAP_H

#include "synth_config.h"
#include "synth_traffic.h"

/* Writes packets (time-ordered, all inside day `day`) to files_per_day files in `dir`,
 * named telescope-YYYY-MM-DD-HH.pcap[.gz] after the first hour each holds; a file holds
 * exactly the packets whose timestamps fall in its hours. Adds the bytes written to
 * *bytes. I/O errors name the file. */
dt_status synth_pcap_write_day(const synth_config *cfg, int day, const synth_packets *packets,
                               const char *dir, uint64_t *bytes);

#endif
