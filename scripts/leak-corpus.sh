#!/usr/bin/env bash
# Summarises `hprofscan leaks` on the leak corpus, one set at a time, for the precision and
# recall tables of testdata/SCENARIOS.md:
#
#   scripts/leak-corpus.sh tuning|validation|validation2|...|validation65|validation66|validation67|validation68|validation69|validation70|validation71|validation72|validation73|validation74|validation75|validation76|validation77|validation78|validation79|validation80|validation81|validation82|validation83|validation84|validation85|validation86|validation87|validation88|validation89|validation90|validation91|validation92|validation93|validation94|validation95|validation96|validation97|validation98|validation99|validation100|validation101|validation102|validation103|validation104|validation105|validation106|validation107|validation108|validation109|validation110|validation111|validation112|validation113|validation114|validation115|validation116|validation117|validation118|validation119|validation120|validation121|validation122|validation123|validation124|validation125|validation126|validation127|validation128|validation129|validation130|validation131|validation132|validation133|validation134|validation135|validation136|validation137|validation138|validation139|validation140|validation141|validation142|validation143|validation144|validation145|validation146|validation147|validation148|validation149|validation150|validation151|validation152|validation153|validation154 [HPROFSCAN]
#
# For every dump of the set (and every series, as `leaks A B C`) it prints the outcome, each
# suspect (rank, verdict, kind, holder, share, entries) with its evidence, and every other
# judged candidate with its verdict. The dumps come from testdata/generate.sh; HPROFSCAN
# defaults to target/release/hprofscan (build it first). Never tune the detector on the
# validation sets (testdata/VALIDATION.md, testdata/VALIDATION2.md, testdata/VALIDATION3.md,
# testdata/VALIDATION4.md, testdata/VALIDATION5.md, testdata/VALIDATION6.md,
# testdata/VALIDATION7.md, testdata/VALIDATION8.md, testdata/VALIDATION9.md,
# testdata/VALIDATION10.md, testdata/VALIDATION11.md, testdata/VALIDATION12.md,
# testdata/VALIDATION13.md, testdata/VALIDATION14.md, testdata/VALIDATION15.md,
# testdata/VALIDATION16.md, testdata/VALIDATION17.md, testdata/VALIDATION18.md,
# testdata/VALIDATION19.md, testdata/VALIDATION20.md, testdata/VALIDATION21.md,
# testdata/VALIDATION22.md, testdata/VALIDATION23.md, testdata/VALIDATION24.md,
# testdata/VALIDATION25.md, testdata/VALIDATION26.md, testdata/VALIDATION27.md,
# testdata/VALIDATION28.md, testdata/VALIDATION29.md, testdata/VALIDATION30.md,
# testdata/VALIDATION31.md, testdata/VALIDATION32.md, testdata/VALIDATION33.md,
# testdata/VALIDATION34.md, testdata/VALIDATION35.md, testdata/VALIDATION36.md,
# testdata/VALIDATION37.md, testdata/VALIDATION38.md, testdata/VALIDATION39.md,
# testdata/VALIDATION40.md, testdata/VALIDATION41.md, testdata/VALIDATION42.md,
# testdata/VALIDATION43.md, testdata/VALIDATION44.md, testdata/VALIDATION45.md,
# testdata/VALIDATION46.md, testdata/VALIDATION47.md, testdata/VALIDATION48.md,
# testdata/VALIDATION49.md, testdata/VALIDATION50.md, testdata/VALIDATION51.md,
# testdata/VALIDATION52.md, testdata/VALIDATION53.md, testdata/VALIDATION54.md,
# testdata/VALIDATION55.md, testdata/VALIDATION56.md, testdata/VALIDATION57.md,
# testdata/VALIDATION58.md, testdata/VALIDATION59.md, testdata/VALIDATION60.md,
# testdata/VALIDATION61.md, testdata/VALIDATION62.md, testdata/VALIDATION63.md,
# testdata/VALIDATION64.md, testdata/VALIDATION65.md, testdata/VALIDATION66.md,
# testdata/VALIDATION67.md, testdata/VALIDATION68.md, testdata/VALIDATION69.md,
# testdata/VALIDATION70.md, testdata/VALIDATION71.md, testdata/VALIDATION72.md,
# testdata/VALIDATION73.md, testdata/VALIDATION74.md, testdata/VALIDATION75.md,
# testdata/VALIDATION76.md, testdata/VALIDATION77.md, testdata/VALIDATION78.md,
# testdata/VALIDATION79.md, testdata/VALIDATION80.md, testdata/VALIDATION81.md,
# testdata/VALIDATION82.md, testdata/VALIDATION83.md, testdata/VALIDATION84.md,
# testdata/VALIDATION85.md, testdata/VALIDATION86.md, testdata/VALIDATION87.md,
# testdata/VALIDATION88.md, testdata/VALIDATION89.md, testdata/VALIDATION90.md,
# testdata/VALIDATION91.md, testdata/VALIDATION92.md, testdata/VALIDATION93.md,
# testdata/VALIDATION94.md, testdata/VALIDATION95.md, testdata/VALIDATION96.md,
# testdata/VALIDATION97.md, testdata/VALIDATION98.md, testdata/VALIDATION99.md,
# testdata/VALIDATION100.md, testdata/VALIDATION101.md, testdata/VALIDATION102.md,
# testdata/VALIDATION103.md, testdata/VALIDATION104.md, testdata/VALIDATION105.md,
# testdata/VALIDATION106.md, testdata/VALIDATION107.md, testdata/VALIDATION108.md,
# testdata/VALIDATION109.md, testdata/VALIDATION110.md, testdata/VALIDATION111.md,
# testdata/VALIDATION112.md, testdata/VALIDATION113.md, testdata/VALIDATION114.md,
# testdata/VALIDATION115.md, testdata/VALIDATION116.md, testdata/VALIDATION117.md,
# testdata/VALIDATION118.md, testdata/VALIDATION119.md, testdata/VALIDATION120.md,
# testdata/VALIDATION121.md, testdata/VALIDATION122.md, testdata/VALIDATION123.md,
# testdata/VALIDATION124.md, testdata/VALIDATION125.md, testdata/VALIDATION126.md,
# testdata/VALIDATION127.md, testdata/VALIDATION128.md, testdata/VALIDATION129.md,
# testdata/VALIDATION130.md, testdata/VALIDATION131.md, testdata/VALIDATION132.md,
# testdata/VALIDATION133.md, testdata/VALIDATION134.md,
# testdata/VALIDATION135.md, testdata/VALIDATION136.md,
# testdata/VALIDATION137.md, testdata/VALIDATION138.md,
# testdata/VALIDATION139.md, testdata/VALIDATION140.md,
# testdata/VALIDATION141.md, testdata/VALIDATION142.md,
# testdata/VALIDATION143.md, testdata/VALIDATION144.md,
# testdata/VALIDATION145.md,
# testdata/VALIDATION146.md, testdata/VALIDATION147.md,
# testdata/VALIDATION148.md, testdata/VALIDATION149.md,
# testdata/VALIDATION150.md, testdata/VALIDATION151.md,
# testdata/VALIDATION152.md, testdata/VALIDATION153.md,
# testdata/VALIDATION154.md).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
set_name=${1:-}
bin=${2:-$REPO/target/release/hprofscan}
dumps="$REPO/testdata/dumps"

# The file dump $1 is stored as: validation dumps are gzip-compressed (testdata/generate.sh).
dump_file() {
    local p="$dumps/$1.hprof"
    [[ -e "$p" ]] || p="$p.gz"
    echo "$p"
}

case "$set_name" in
    tuning)
        singles="svc-leak-sessions-1 svc-leak-sessions-2 svc-leak-sessions svc-leak-audit
            svc-leak-audit-parallel.jcmd svc-leak-listeners svc-leak-listeners-serial
            svc-leak-files svc-leak-files-serial.jcmd svc-leak-threadlocal
            svc-leak-threadlocal-parallel svc-leak-plugins svc-leak-threads
            svc-leak-threads-serial svc-leak-requests-1 svc-leak-requests-2 svc-leak-requests
            svc-leak-requests-serial svc-leak-weakkeys svc-leak-weakkeys-parallel
            svc-leak-gateway-1 svc-leak-gateway-2 svc-leak-gateway
            svc-healthy-payments-1 svc-healthy-payments-2 svc-healthy-payments
            svc-healthy-flights svc-healthy-flights-serial.jcmd svc-healthy-banking
            svc-healthy-banking-parallel svc-healthy-catalog svc-healthy-catalog-serial
            svc-healthy-inventory svc-healthy-inventory-serial.jcmd
            svc-leak-streams svc-leak-streams-serial svc-leak-leases svc-leak-leases-parallel
            svc-healthy-resources svc-healthy-resources-serial
            svc-healthy-printfarm svc-healthy-printfarm-parallel.jcmd svc-healthy-tenantlinks
            svc-healthy-tenantlinks-serial.jcmd svc-leak-uploadsinks svc-leak-uploadsinks-parallel.jcmd
            svc-healthy-tokens svc-healthy-tokens-serial.jcmd svc-leak-deadconsumer-1
            svc-leak-deadconsumer-2 svc-leak-deadconsumer svc-leak-deadconsumer-serial
            svc-leak-lastseen svc-leak-lastseen-parallel.jcmd svc-leak-blobs
            svc-leak-blobs-serial.jcmd svc-leak-tokens svc-leak-tokens-parallel svc-leak-poolleak
            svc-leak-poolleak-serial svc-leak-linkedlog svc-leak-linkedlog-parallel.jcmd
            svc-leak-appstreams svc-leak-appstreams-serial.jcmd
            svc-healthy-canon svc-healthy-canon-serial.jcmd svc-leak-canon svc-leak-canon-parallel
            svc-leak-unitofwork svc-leak-unitofwork-serial.jcmd svc-leak-objectstream-1
            svc-leak-objectstream-2 svc-leak-objectstream svc-leak-objectstream-parallel
            svc-leak-shutdownhooks svc-leak-shutdownhooks-serial svc-leak-perconncache
            svc-leak-perconncache-parallel.jcmd svc-leak-warmpools-1 svc-leak-warmpools-2
            svc-leak-warmpools svc-leak-warmpools-parallel.jcmd svc-healthy-routes-1
            svc-healthy-routes-2 svc-healthy-routes svc-leak-retryforever
            svc-leak-retryforever-parallel.jcmd svc-healthy-retry svc-leak-requestcontext
            svc-leak-requestcontext-parallel.jcmd svc-healthy-requestcontext
            svc-healthy-requestcontext-parallel.jcmd svc-leak-expiredgrants
            svc-leak-expiredgrants-parallel.jcmd svc-healthy-expiringgrants
            svc-healthy-expiringgrants-parallel.jcmd svc-leak-stalesubscribers
            svc-leak-stalesubscribers-serial svc-healthy-subscribers
            svc-healthy-subscribers-parallel.jcmd svc-healthy-accounts-1 svc-healthy-accounts-2
            svc-healthy-accounts svc-healthy-accounts-serial svc-leak-accounts
            svc-leak-accounts-serial svc-leak-reportjobs svc-leak-reportjobs-serial
            svc-leak-presence svc-leak-presence-parallel svc-leak-scriptcache
            svc-leak-scriptcache-serial svc-healthy-timeline-1 svc-healthy-timeline-2
            svc-healthy-timeline svc-healthy-timeline-parallel svc-leak-batchworkers-1
            svc-leak-batchworkers-2 svc-leak-batchworkers svc-leak-batchworkers-serial
            svc-healthy-orderhistory-1 svc-healthy-orderhistory-2 svc-healthy-orderhistory
            svc-healthy-orderhistory-serial svc-leak-recentviews-1 svc-leak-recentviews-2
            svc-leak-recentviews svc-leak-recentviews-parallel svc-leak-eventjournal-1
            svc-leak-eventjournal-2 svc-leak-eventjournal svc-leak-eventjournal-parallel
            svc-healthy-batchwriter-1 svc-healthy-batchwriter-2 svc-healthy-batchwriter
            svc-healthy-batchwriter-serial svc-leak-eventlog-1 svc-leak-eventlog-2
            svc-leak-eventlog svc-leak-eventlog-parallel svc-leak-eventlog-g1
            svc-leak-metertags-1 svc-leak-metertags-2 svc-leak-metertags svc-leak-metertags-serial
            svc-healthy-metertemplates-1 svc-healthy-metertemplates-2 svc-healthy-metertemplates
            svc-healthy-metertemplates-parallel"
        series="svc-leak-sessions svc-leak-requests svc-leak-gateway svc-healthy-payments
            svc-leak-deadconsumer svc-leak-objectstream svc-leak-warmpools svc-healthy-routes
            svc-healthy-accounts svc-healthy-timeline svc-leak-batchworkers
            svc-healthy-orderhistory svc-leak-recentviews svc-leak-eventjournal
            svc-healthy-batchwriter svc-leak-eventlog svc-leak-metertags
            svc-healthy-metertemplates" ;;
    validation)
        singles="svc-leak-scheduled svc-leak-pool svc-leak-pool-parallel svc-leak-executors
            svc-leak-executors-parallel.jcmd svc-leak-history-1 svc-leak-history-2
            svc-leak-history svc-leak-changelog svc-leak-changelog-serial.jcmd
            svc-healthy-fleet-1 svc-healthy-fleet-2 svc-healthy-fleet svc-healthy-messaging
            svc-healthy-messaging-parallel.jcmd"
        series="svc-leak-history svc-healthy-fleet" ;;
    validation2)
        singles="val2-healthy-tariffs-1 val2-healthy-tariffs-2 val2-healthy-tariffs
            val2-healthy-library.jcmd val2-healthy-shipping val2-healthy-shipping-serial.jcmd
            val2-leak-alerts.jcmd val2-leak-alerts-serial val2-leak-export.jcmd
            val2-leak-quotes-1 val2-leak-quotes-2 val2-leak-quotes val2-leak-reports
            val2-leak-reports-parallel.jcmd val2-leak-rpc-1 val2-leak-rpc-2 val2-leak-rpc
            val2-leak-rpc.jcmd"
        series="val2-healthy-tariffs val2-leak-quotes val2-leak-rpc" ;;
    validation3)
        singles="val3-leak-uploads val3-leak-uploads.jcmd val3-leak-dbpool val3-leak-authaudit-1
            val3-leak-authaudit-2 val3-leak-authaudit val3-leak-exports-serial
            val3-leak-metrics-parallel val3-leak-pushretry val3-healthy-hotels-1
            val3-healthy-hotels-2 val3-healthy-hotels val3-healthy-adserver
            val3-healthy-adserver-parallel.jcmd val3-healthy-ingest val3-healthy-ingest.jcmd
            val3-healthy-identity"
        series="val3-leak-authaudit val3-healthy-hotels" ;;
    validation4)
        singles="val4-leak-quotecache val4-leak-quotecache.jcmd val4-leak-interner
            val4-leak-statements-serial val4-leak-persistence-parallel val4-leak-replication-1
            val4-leak-replication-2 val4-leak-replication val4-leak-cleanuphooks
            val4-healthy-search val4-healthy-search-parallel.jcmd val4-healthy-pricing-1
            val4-healthy-pricing-2 val4-healthy-pricing val4-healthy-ledger-serial.jcmd
            val4-healthy-notify.jcmd"
        series="val4-leak-replication val4-healthy-pricing" ;;
    validation5)
        singles="val5-leak-httproutes-1 val5-leak-httproutes-2 val5-leak-httproutes
            val5-leak-loggers-serial val5-leak-futures-parallel.jcmd val5-leak-observers
            val5-leak-observers.jcmd val5-leak-retryqueue val5-healthy-geo
            val5-healthy-geo-serial.jcmd val5-healthy-feed-1 val5-healthy-feed-2 val5-healthy-feed
            val5-healthy-billing-parallel.jcmd"
        series="val5-leak-httproutes val5-healthy-feed" ;;
    validation6)
        singles="val6-leak-authzcache-1 val6-leak-authzcache-2 val6-leak-authzcache
            val6-leak-authzcache-serial val6-leak-breadcrumbs val6-leak-breadcrumbs-parallel.jcmd
            val6-leak-cursors val6-leak-cursors-serial.jcmd val6-leak-refreshtasks
            val6-leak-refreshtasks-parallel.jcmd val6-leak-timeouts val6-leak-timeouts-serial
            val6-healthy-pharmacy val6-healthy-pharmacy-serial.jcmd val6-healthy-telemetry-1
            val6-healthy-telemetry-2 val6-healthy-telemetry val6-healthy-telemetry-parallel.jcmd
            val6-healthy-tickets val6-healthy-tickets-parallel.jcmd"
        series="val6-leak-authzcache val6-healthy-telemetry" ;;
    validation7)
        singles="val7-leak-ratelimits val7-leak-ratelimits-serial val7-leak-wslisteners
            val7-leak-wslisteners-parallel.jcmd val7-leak-templates-1 val7-leak-templates-2
            val7-leak-templates val7-leak-templates-serial.jcmd val7-leak-otppurge
            val7-leak-otppurge-parallel val7-healthy-exchange val7-healthy-exchange-serial.jcmd
            val7-healthy-logistics-1 val7-healthy-logistics-2 val7-healthy-logistics
            val7-healthy-logistics-parallel val7-healthy-clinic val7-healthy-clinic-parallel.jcmd"
        series="val7-leak-templates val7-healthy-logistics" ;;
    validation8)
        singles="val8-leak-adbidding val8-leak-adbidding-serial val8-leak-iotgateway
            val8-leak-iotgateway-parallel.jcmd val8-leak-hotelbooking-1 val8-leak-hotelbooking-2
            val8-leak-hotelbooking val8-leak-hotelbooking-serial.jcmd val8-leak-ridehailing
            val8-leak-ridehailing-serial val8-healthy-videoedge val8-healthy-videoedge-serial.jcmd
            val8-healthy-claims val8-healthy-claims-parallel val8-healthy-buildfarm-1
            val8-healthy-buildfarm-2 val8-healthy-buildfarm val8-healthy-buildfarm-parallel.jcmd"
        series="val8-leak-hotelbooking val8-healthy-buildfarm" ;;
    validation9)
        singles="val9-leak-rxrules val9-leak-rxrules-serial val9-leak-indexer-1
            val9-leak-indexer-2 val9-leak-indexer val9-leak-indexer-parallel.jcmd
            val9-leak-rideeta val9-leak-rideeta-serial.jcmd val9-leak-emailrelay
            val9-leak-emailrelay-parallel val9-healthy-elearning
            val9-healthy-elearning-serial.jcmd val9-healthy-ledger-1 val9-healthy-ledger-2
            val9-healthy-ledger val9-healthy-ledger-parallel val9-healthy-parking
            val9-healthy-parking-parallel.jcmd"
        series="val9-leak-indexer val9-healthy-ledger" ;;
    validation10)
        singles="val10-leak-musicstream val10-leak-musicstream-serial.jcmd
            val10-leak-gamelobby-1 val10-leak-gamelobby-2 val10-leak-gamelobby
            val10-leak-gamelobby-parallel.jcmd val10-leak-weather val10-leak-weather-parallel
            val10-leak-cdnlogs val10-leak-cdnlogs-serial val10-healthy-payroll-1
            val10-healthy-payroll-2 val10-healthy-payroll val10-healthy-payroll-parallel
            val10-healthy-translation val10-healthy-translation-serial.jcmd
            val10-healthy-chatmod val10-healthy-chatmod-parallel.jcmd"
        series="val10-leak-gamelobby val10-healthy-payroll" ;;
    validation11)
        singles="val11-leak-dnsresolver-1 val11-leak-dnsresolver-2 val11-leak-dnsresolver
            val11-leak-dnsresolver-parallel.jcmd val11-leak-abtesting
            val11-leak-abtesting-serial.jcmd val11-leak-museum val11-leak-museum-parallel
            val11-leak-energymeter val11-leak-energymeter-serial val11-healthy-warehouse-1
            val11-healthy-warehouse-2 val11-healthy-warehouse val11-healthy-warehouse-serial
            val11-healthy-podcast val11-healthy-podcast-parallel val11-healthy-maptiles
            val11-healthy-maptiles-serial"
        series="val11-leak-dnsresolver val11-healthy-warehouse" ;;
    validation12)
        singles="val12-leak-crewsched-1 val12-leak-crewsched-2 val12-leak-crewsched
            val12-leak-crewsched-serial.jcmd val12-leak-underwriting
            val12-leak-underwriting-parallel val12-leak-sportsodds val12-leak-sportsodds-serial
            val12-healthy-featureflags-1 val12-healthy-featureflags-2 val12-healthy-featureflags
            val12-healthy-featureflags-parallel.jcmd val12-healthy-statements
            val12-healthy-statements-serial.jcmd val12-healthy-carrental
            val12-healthy-carrental-parallel.jcmd"
        series="val12-leak-crewsched val12-healthy-featureflags" ;;
    validation13)
        singles="val13-leak-tollroad-1 val13-leak-tollroad-2 val13-leak-tollroad
            val13-leak-tollroad-serial.jcmd val13-leak-taxfiling val13-leak-taxfiling-parallel
            val13-leak-parcellockers val13-leak-parcellockers-parallel.jcmd
            val13-healthy-transit-1 val13-healthy-transit-2 val13-healthy-transit
            val13-healthy-transit-parallel.jcmd val13-healthy-nutrition
            val13-healthy-nutrition-serial.jcmd val13-healthy-voip val13-healthy-voip-parallel"
        series="val13-leak-tollroad val13-healthy-transit" ;;
    validation14)
        singles="val14-leak-skilifts-1 val14-leak-skilifts-2 val14-leak-skilifts
            val14-leak-skilifts-parallel val14-leak-printondemand
            val14-leak-printondemand-serial.jcmd val14-leak-proctoring
            val14-leak-proctoring-parallel.jcmd val14-healthy-variantannot-1
            val14-healthy-variantannot-2 val14-healthy-variantannot
            val14-healthy-variantannot-serial.jcmd val14-healthy-irrigation
            val14-healthy-irrigation-parallel.jcmd val14-healthy-elevators
            val14-healthy-elevators-serial.jcmd"
        series="val14-leak-skilifts val14-healthy-variantannot" ;;
    validation15)
        singles="val15-leak-freightrates-1 val15-leak-freightrates-2 val15-leak-freightrates
            val15-leak-freightrates-serial.jcmd val15-leak-artauctions
            val15-leak-artauctions-parallel.jcmd val15-leak-ediscovery
            val15-leak-ediscovery-serial val15-healthy-observatory-1
            val15-healthy-observatory-2 val15-healthy-observatory
            val15-healthy-observatory-parallel.jcmd val15-healthy-casino
            val15-healthy-casino-serial.jcmd val15-healthy-marathon
            val15-healthy-marathon-parallel"
        series="val15-leak-freightrates val15-healthy-observatory" ;;
    validation16)
        singles="val16-leak-fooddelivery-1 val16-leak-fooddelivery-2 val16-leak-fooddelivery
            val16-leak-fooddelivery-parallel.jcmd val16-leak-groundstation
            val16-leak-groundstation-serial.jcmd val16-leak-pacs val16-leak-pacs-parallel
            val16-healthy-windfarm-1 val16-healthy-windfarm-2 val16-healthy-windfarm
            val16-healthy-windfarm-serial.jcmd val16-healthy-keyboard
            val16-healthy-keyboard-parallel.jcmd val16-healthy-ferry val16-healthy-ferry-serial"
        series="val16-leak-fooddelivery val16-healthy-windfarm" ;;
    validation17)
        singles="val17-leak-propertysearch-1 val17-leak-propertysearch-2 val17-leak-propertysearch
            val17-leak-propertysearch-serial val17-leak-customs val17-leak-customs-serial.jcmd
            val17-leak-labimport val17-leak-labimport-parallel val17-leak-loyalty
            val17-leak-loyalty-parallel.jcmd val17-healthy-airquality-1 val17-healthy-airquality-2
            val17-healthy-airquality val17-healthy-airquality-serial.jcmd val17-healthy-expenses
            val17-healthy-expenses-parallel.jcmd"
        series="val17-leak-propertysearch val17-healthy-airquality" ;;
    validation18)
        singles="val18-leak-solarquotes-1 val18-leak-solarquotes-2 val18-leak-solarquotes
            val18-leak-solarquotes-serial.jcmd val18-leak-bakeryorders
            val18-leak-bakeryorders-parallel.jcmd val18-leak-backupuploads
            val18-leak-backupuploads-parallel val18-leak-smsgateway val18-leak-smsgateway-serial.jcmd
            val18-healthy-bikeshare-1 val18-healthy-bikeshare-2 val18-healthy-bikeshare
            val18-healthy-bikeshare-serial val18-healthy-sportsleague
            val18-healthy-sportsleague-parallel.jcmd"
        series="val18-leak-solarquotes val18-healthy-bikeshare" ;;
    validation19)
        singles="val19-leak-graincoop-1 val19-leak-graincoop-2 val19-leak-graincoop
            val19-leak-graincoop-parallel.jcmd val19-leak-evcharging
            val19-leak-evcharging-serial.jcmd val19-leak-lottery val19-leak-lottery-parallel
            val19-leak-eventreg val19-leak-eventreg-serial val19-healthy-boxoffice-1
            val19-healthy-boxoffice-2 val19-healthy-boxoffice val19-healthy-boxoffice-serial.jcmd
            val19-healthy-winery val19-healthy-winery-parallel.jcmd"
        series="val19-leak-graincoop val19-healthy-boxoffice" ;;
    validation20)
        singles="val20-leak-dronesurvey-1 val20-leak-dronesurvey-2 val20-leak-dronesurvey
            val20-leak-dronesurvey-serial val20-leak-petinsurance val20-leak-petinsurance-serial.jcmd
            val20-leak-courtfilings val20-leak-courtfilings-parallel val20-leak-audiomastering
            val20-leak-audiomastering-parallel.jcmd val20-healthy-harborpilots-1
            val20-healthy-harborpilots-2 val20-healthy-harborpilots
            val20-healthy-harborpilots-parallel.jcmd val20-healthy-beekeeping
            val20-healthy-beekeeping-serial"
        series="val20-leak-dronesurvey val20-healthy-harborpilots" ;;
    validation21)
        singles="val21-leak-trademarks-1 val21-leak-trademarks-2 val21-leak-trademarks
            val21-leak-trademarks-parallel val21-leak-telehealth val21-leak-telehealth-parallel.jcmd
            val21-leak-satelliteimagery val21-leak-satelliteimagery-serial val21-leak-votingtally
            val21-leak-votingtally-serial.jcmd val21-healthy-glaciers-1 val21-healthy-glaciers-2
            val21-healthy-glaciers val21-healthy-glaciers-serial.jcmd val21-healthy-orchestratours
            val21-healthy-orchestratours-parallel"
        series="val21-leak-trademarks val21-healthy-glaciers" ;;
    validation22)
        singles="val22-leak-clinicaltrials-1 val22-leak-clinicaltrials-2 val22-leak-clinicaltrials
            val22-leak-clinicaltrials-serial.jcmd val22-leak-postalsorting
            val22-leak-postalsorting-parallel.jcmd val22-leak-chessclub val22-leak-chessclub-serial
            val22-leak-esports val22-leak-esports-parallel val22-healthy-seismology-1
            val22-healthy-seismology-2 val22-healthy-seismology val22-healthy-seismology-parallel.jcmd
            val22-healthy-railsignals val22-healthy-railsignals-serial.jcmd"
        series="val22-leak-clinicaltrials val22-healthy-seismology" ;;
    validation23)
        singles="val23-leak-mortgages-1 val23-leak-mortgages-2 val23-leak-mortgages
            val23-leak-mortgages-serial.jcmd val23-leak-stockphotos val23-leak-stockphotos-parallel
            val23-leak-crowdfunding val23-leak-crowdfunding-parallel.jcmd val23-leak-jobboard
            val23-leak-jobboard-serial val23-healthy-creditunion-1 val23-healthy-creditunion-2
            val23-healthy-creditunion val23-healthy-creditunion-parallel.jcmd val23-healthy-greenhouse
            val23-healthy-greenhouse-serial"
        series="val23-leak-mortgages val23-healthy-creditunion" ;;
    validation24)
        singles="val24-leak-hotdesking-1 val24-leak-hotdesking-2 val24-leak-hotdesking
            val24-leak-hotdesking-serial.jcmd val24-leak-vetclinic val24-leak-vetclinic-parallel
            val24-leak-fuelcards val24-leak-fuelcards-parallel.jcmd val24-leak-timesheets
            val24-leak-timesheets-serial val24-healthy-fishmarket-1 val24-healthy-fishmarket-2
            val24-healthy-fishmarket val24-healthy-fishmarket-parallel.jcmd val24-healthy-recycling
            val24-healthy-recycling-serial.jcmd"
        series="val24-leak-hotdesking val24-healthy-fishmarket" ;;
    validation25)
        singles="val25-leak-callcenter-1 val25-leak-callcenter-2 val25-leak-callcenter
            val25-leak-callcenter-parallel.jcmd val25-leak-yogastudios val25-leak-yogastudios-serial.jcmd
            val25-leak-notary val25-leak-notary-serial val25-leak-geocoding
            val25-leak-geocoding-parallel.jcmd val25-healthy-citybuses-1 val25-healthy-citybuses-2
            val25-healthy-citybuses val25-healthy-citybuses-serial.jcmd val25-healthy-mealkits
            val25-healthy-mealkits-parallel.jcmd"
        series="val25-leak-callcenter val25-healthy-citybuses" ;;
    validation26)
        singles="val26-leak-spareparts val26-leak-spareparts-serial.jcmd val26-leak-newswire-1
            val26-leak-newswire-2 val26-leak-newswire val26-leak-newswire-parallel
            val26-leak-tireshop val26-leak-tireshop-parallel.jcmd val26-leak-classifieds
            val26-leak-classifieds-serial val26-healthy-dentalclinic-1 val26-healthy-dentalclinic-2
            val26-healthy-dentalclinic val26-healthy-dentalclinic-serial.jcmd val26-healthy-brewery
            val26-healthy-brewery-parallel.jcmd"
        series="val26-leak-newswire val26-healthy-dentalclinic" ;;
    validation27)
        singles="val27-leak-cargomanifests-1 val27-leak-cargomanifests-2 val27-leak-cargomanifests
            val27-leak-cargomanifests-parallel val27-leak-contracteditor
            val27-leak-contracteditor-serial.jcmd val27-leak-smarthome val27-leak-smarthome-parallel.jcmd
            val27-leak-fitnesstrackers val27-leak-fitnesstrackers-serial val27-healthy-screenwriting-1
            val27-healthy-screenwriting-2 val27-healthy-screenwriting val27-healthy-screenwriting-serial.jcmd
            val27-healthy-marina val27-healthy-marina-parallel.jcmd"
        series="val27-leak-cargomanifests val27-healthy-screenwriting" ;;
    validation28)
        singles="val28-leak-genealogy val28-leak-genealogy-serial.jcmd val28-leak-waterutility-1
            val28-leak-waterutility-2 val28-leak-waterutility val28-leak-waterutility-parallel
            val28-leak-openbanking val28-leak-openbanking-parallel.jcmd val28-leak-courierdispatch
            val28-leak-courierdispatch-serial val28-healthy-wildlifetelemetry-1
            val28-healthy-wildlifetelemetry-2 val28-healthy-wildlifetelemetry
            val28-healthy-wildlifetelemetry-serial.jcmd val28-healthy-coffeeroastery
            val28-healthy-coffeeroastery-parallel.jcmd"
        series="val28-leak-waterutility val28-healthy-wildlifetelemetry" ;;
    validation29)
        singles="val29-leak-toolrental-1 val29-leak-toolrental-2 val29-leak-toolrental
            val29-leak-toolrental-parallel val29-leak-snowplowing val29-leak-snowplowing-serial.jcmd
            val29-leak-furnituredelivery val29-leak-furnituredelivery-parallel.jcmd
            val29-leak-supermarket val29-leak-supermarket-serial val29-healthy-campgrounds-1
            val29-healthy-campgrounds-2 val29-healthy-campgrounds val29-healthy-campgrounds-serial.jcmd
            val29-healthy-golfcourse val29-healthy-golfcourse-parallel"
        series="val29-leak-toolrental val29-healthy-campgrounds" ;;
    validation30)
        singles="val30-leak-florists-1 val30-leak-florists-2 val30-leak-florists
            val30-leak-florists-parallel val30-leak-locksmiths val30-leak-locksmiths-serial.jcmd
            val30-leak-operahouse val30-leak-operahouse-parallel val30-leak-airportdisplays
            val30-leak-airportdisplays-serial val30-healthy-carwash-1 val30-healthy-carwash-2
            val30-healthy-carwash val30-healthy-carwash-serial.jcmd val30-healthy-laundromats
            val30-healthy-laundromats-parallel.jcmd"
        series="val30-leak-florists val30-healthy-carwash" ;;
    validation31)
        singles="val31-leak-kennels-1 val31-leak-kennels-2 val31-leak-kennels
            val31-leak-kennels-parallel val31-leak-bookshops val31-leak-bookshops-serial.jcmd
            val31-leak-pizzerias val31-leak-pizzerias-parallel.jcmd val31-leak-dairyfarms
            val31-leak-dairyfarms-serial val31-healthy-aquarium-1 val31-healthy-aquarium-2
            val31-healthy-aquarium val31-healthy-aquarium-serial.jcmd val31-healthy-drivingschools
            val31-healthy-drivingschools-parallel"
        series="val31-leak-kennels val31-healthy-aquarium" ;;
    validation32)
        singles="val32-leak-volunteering-1 val32-leak-volunteering-2 val32-leak-volunteering
            val32-leak-volunteering-parallel val32-leak-towtrucks val32-leak-towtrucks-serial.jcmd
            val32-leak-travelagency val32-leak-travelagency-parallel.jcmd val32-leak-caterers
            val32-leak-caterers-serial val32-healthy-ambulances-1 val32-healthy-ambulances-2
            val32-healthy-ambulances val32-healthy-ambulances-serial.jcmd val32-healthy-studenthousing
            val32-healthy-studenthousing-parallel"
        series="val32-leak-volunteering val32-healthy-ambulances" ;;
    validation33)
        singles="val33-leak-reeferfleet-1 val33-leak-reeferfleet-2 val33-leak-reeferfleet
            val33-leak-reeferfleet-parallel val33-leak-floorplans val33-leak-floorplans-serial.jcmd
            val33-leak-passportoffice val33-leak-passportoffice-parallel.jcmd val33-leak-sheetmusic
            val33-leak-sheetmusic-serial val33-healthy-hydroponics-1 val33-healthy-hydroponics-2
            val33-healthy-hydroponics val33-healthy-hydroponics-serial.jcmd val33-healthy-skatingrinks
            val33-healthy-skatingrinks-parallel.jcmd"
        series="val33-leak-reeferfleet val33-healthy-hydroponics" ;;
    validation34)
        singles="val34-leak-subtitlestudio-1 val34-leak-subtitlestudio-2 val34-leak-subtitlestudio
            val34-leak-subtitlestudio-parallel val34-leak-lumberyard val34-leak-lumberyard-serial.jcmd
            val34-leak-bloodbank val34-leak-bloodbank-parallel.jcmd val34-leak-vendingfleet
            val34-leak-vendingfleet-serial val34-healthy-cartography-1 val34-healthy-cartography-2
            val34-healthy-cartography val34-healthy-cartography-serial.jcmd val34-healthy-bowlingalleys
            val34-healthy-bowlingalleys-parallel.jcmd"
        series="val34-leak-subtitlestudio val34-healthy-cartography" ;;
    validation35)
        singles="val35-leak-rowingclubs-1 val35-leak-rowingclubs-2 val35-leak-rowingclubs
            val35-leak-rowingclubs-parallel val35-leak-parkingfines val35-leak-parkingfines-serial.jcmd
            val35-leak-landregistry val35-leak-landregistry-parallel.jcmd val35-leak-cementkilns
            val35-leak-cementkilns-serial val35-healthy-planetarium-1 val35-healthy-planetarium-2
            val35-healthy-planetarium val35-healthy-planetarium-serial.jcmd val35-healthy-orchards
            val35-healthy-orchards-parallel.jcmd"
        series="val35-leak-rowingclubs val35-healthy-planetarium" ;;
    validation36)
        singles="val36-leak-tramnetwork-1 val36-leak-tramnetwork-2 val36-leak-tramnetwork
            val36-leak-tramnetwork-parallel val36-leak-pawnshops val36-leak-pawnshops-serial.jcmd
            val36-leak-hairsalons val36-leak-hairsalons-parallel.jcmd val36-leak-cinemas
            val36-leak-cinemas-serial val36-healthy-lighthouses-1 val36-healthy-lighthouses-2
            val36-healthy-lighthouses val36-healthy-lighthouses-serial.jcmd val36-healthy-escaperooms
            val36-healthy-escaperooms-parallel.jcmd"
        series="val36-leak-tramnetwork val36-healthy-lighthouses" ;;
    validation37)
        singles="val37-leak-conferencebridge-1 val37-leak-conferencebridge-2 val37-leak-conferencebridge
            val37-leak-conferencebridge-parallel val37-leak-recipeportal val37-leak-recipeportal-serial.jcmd
            val37-leak-weighstations val37-leak-weighstations-parallel.jcmd val37-leak-boilerinspections
            val37-leak-boilerinspections-serial val37-healthy-plantnursery-1 val37-healthy-plantnursery-2
            val37-healthy-plantnursery val37-healthy-plantnursery-serial.jcmd val37-healthy-seedbank
            val37-healthy-seedbank-parallel.jcmd"
        series="val37-leak-conferencebridge val37-healthy-plantnursery" ;;
    validation38)
        singles="val38-leak-kitchenfitters-1 val38-leak-kitchenfitters-2 val38-leak-kitchenfitters
            val38-leak-kitchenfitters-parallel.jcmd val38-leak-pianotuners val38-leak-pianotuners-serial.jcmd
            val38-leak-signmakers val38-leak-signmakers-parallel val38-leak-upholsterers
            val38-leak-upholsterers-serial val38-healthy-glassblowers-1 val38-healthy-glassblowers-2
            val38-healthy-glassblowers val38-healthy-glassblowers-serial.jcmd val38-healthy-saddlery
            val38-healthy-saddlery-parallel.jcmd"
        series="val38-leak-kitchenfitters val38-healthy-glassblowers" ;;
    validation39)
        singles="val39-leak-chimneysweeps-1 val39-leak-chimneysweeps-2 val39-leak-chimneysweeps
            val39-leak-chimneysweeps-parallel.jcmd val39-leak-farriers val39-leak-farriers-serial.jcmd
            val39-leak-stonemasons val39-leak-stonemasons-parallel val39-leak-bookbinders
            val39-leak-bookbinders-serial val39-healthy-clockmakers-1 val39-healthy-clockmakers-2
            val39-healthy-clockmakers val39-healthy-clockmakers-serial.jcmd val39-healthy-cooperages
            val39-healthy-cooperages-parallel.jcmd"
        series="val39-leak-chimneysweeps val39-healthy-clockmakers" ;;
    validation40)
        singles="val40-leak-tilers-1 val40-leak-tilers-2 val40-leak-tilers
            val40-leak-tilers-parallel.jcmd val40-leak-engravers val40-leak-engravers-serial.jcmd
            val40-leak-perfumers val40-leak-perfumers-parallel val40-leak-sailmakers
            val40-leak-sailmakers-serial val40-healthy-potters-1 val40-healthy-potters-2
            val40-healthy-potters val40-healthy-potters-serial.jcmd val40-healthy-glaziers
            val40-healthy-glaziers-parallel.jcmd"
        series="val40-leak-tilers val40-healthy-potters" ;;
    validation41)
        singles="val41-leak-chandlers-1 val41-leak-chandlers-2 val41-leak-chandlers
            val41-leak-chandlers-parallel.jcmd val41-leak-luthiers val41-leak-luthiers-serial.jcmd
            val41-leak-cidermakers val41-leak-cidermakers-parallel val41-leak-cobblers
            val41-leak-cobblers-serial val41-healthy-milliners-1 val41-healthy-milliners-2
            val41-healthy-milliners val41-healthy-milliners-serial.jcmd val41-healthy-tailors
            val41-healthy-tailors-parallel.jcmd"
        series="val41-leak-chandlers val41-healthy-milliners" ;;
    validation42)
        singles="val42-leak-tanners-1 val42-leak-tanners-2 val42-leak-tanners
            val42-leak-tanners-parallel.jcmd val42-leak-wheelwrights val42-leak-wheelwrights-serial.jcmd
            val42-leak-ropemakers val42-leak-ropemakers-parallel val42-leak-thatchers
            val42-leak-thatchers-serial val42-healthy-blacksmiths-1 val42-healthy-blacksmiths-2
            val42-healthy-blacksmiths val42-healthy-blacksmiths-serial.jcmd val42-healthy-weavers
            val42-healthy-weavers-parallel.jcmd"
        series="val42-leak-tanners val42-healthy-blacksmiths" ;;
    validation43)
        singles="val43-leak-basketmakers-1 val43-leak-basketmakers-2 val43-leak-basketmakers
            val43-leak-basketmakers-parallel.jcmd val43-leak-goldsmiths val43-leak-goldsmiths-serial.jcmd
            val43-leak-bellfounders val43-leak-bellfounders-parallel val43-leak-woodturners
            val43-leak-woodturners-serial val43-healthy-dyers-1 val43-healthy-dyers-2
            val43-healthy-dyers val43-healthy-dyers-serial.jcmd val43-healthy-plasterers
            val43-healthy-plasterers-parallel.jcmd"
        series="val43-leak-basketmakers val43-healthy-dyers" ;;
    validation44)
        singles="val44-leak-hopgrowers-1 val44-leak-hopgrowers-2 val44-leak-hopgrowers
            val44-leak-hopgrowers-parallel.jcmd val44-leak-archivists val44-leak-archivists-serial.jcmd
            val44-leak-papermills val44-leak-papermills-parallel val44-leak-canallocks
            val44-leak-canallocks-serial val44-healthy-quarries-1 val44-healthy-quarries-2
            val44-healthy-quarries val44-healthy-quarries-serial.jcmd val44-healthy-organbuilders
            val44-healthy-organbuilders-parallel.jcmd"
        series="val44-leak-hopgrowers val44-healthy-quarries" ;;
    validation45)
        singles="val45-leak-fletchers-1 val45-leak-fletchers-2 val45-leak-fletchers
            val45-leak-fletchers-parallel.jcmd val45-leak-cutlers val45-leak-cutlers-serial.jcmd
            val45-leak-lacemakers val45-leak-lacemakers-parallel val45-leak-shipwrights
            val45-leak-shipwrights-serial val45-healthy-tinsmiths-1 val45-healthy-tinsmiths-2
            val45-healthy-tinsmiths val45-healthy-tinsmiths-serial.jcmd val45-healthy-mosaicists
            val45-healthy-mosaicists-parallel.jcmd"
        series="val45-leak-fletchers val45-healthy-tinsmiths" ;;
    validation46)
        singles="val46-leak-cropinsurance-1 val46-leak-cropinsurance-2 val46-leak-cropinsurance
            val46-leak-cropinsurance-parallel.jcmd val46-leak-fareclearing val46-leak-fareclearing-serial
            val46-leak-herbarium val46-leak-herbarium-parallel.jcmd val46-leak-surveypanels
            val46-leak-surveypanels-serial.jcmd val46-healthy-firestations-1 val46-healthy-firestations-2
            val46-healthy-firestations val46-healthy-firestations-serial.jcmd val46-healthy-waterparks
            val46-healthy-waterparks-parallel"
        series="val46-leak-cropinsurance val46-healthy-firestations" ;;
    validation47)
        singles="val47-leak-soapmakers-1 val47-leak-soapmakers-2 val47-leak-soapmakers
            val47-leak-soapmakers-parallel val47-leak-millwrights val47-leak-millwrights-serial.jcmd
            val47-leak-scriveners val47-leak-scriveners-parallel.jcmd val47-leak-glovers
            val47-leak-glovers-serial val47-healthy-feltmakers-1 val47-healthy-feltmakers-2
            val47-healthy-feltmakers val47-healthy-feltmakers-serial.jcmd val47-healthy-gilders
            val47-healthy-gilders-parallel.jcmd"
        series="val47-leak-soapmakers val47-healthy-feltmakers" ;;
    validation48)
        singles="val48-leak-roofers-1 val48-leak-roofers-2 val48-leak-roofers
            val48-leak-roofers-parallel.jcmd val48-leak-candlemakers val48-leak-candlemakers-serial
            val48-leak-brickworks val48-leak-brickworks-parallel.jcmd val48-leak-embroiderers
            val48-leak-embroiderers-serial.jcmd val48-healthy-toymakers-1 val48-healthy-toymakers-2
            val48-healthy-toymakers val48-healthy-toymakers-serial.jcmd val48-healthy-pewterers
            val48-healthy-pewterers-parallel"
        series="val48-leak-roofers val48-healthy-toymakers" ;;
    validation49)
        singles="val49-leak-vintners-1 val49-leak-vintners-2 val49-leak-vintners
            val49-leak-vintners-parallel.jcmd val49-leak-maltsters val49-leak-maltsters-serial
            val49-leak-distillers val49-leak-distillers-parallel.jcmd val49-leak-lapidaries
            val49-leak-lapidaries-serial.jcmd val49-healthy-falconers-1 val49-healthy-falconers-2
            val49-healthy-falconers val49-healthy-falconers-serial.jcmd val49-healthy-hatters
            val49-healthy-hatters-parallel"
        series="val49-leak-vintners val49-healthy-falconers" ;;
    validation50)
        singles="val50-leak-cheesemakers-1 val50-leak-cheesemakers-2 val50-leak-cheesemakers
            val50-leak-cheesemakers-parallel.jcmd val50-leak-typesetters val50-leak-typesetters-serial
            val50-leak-cartwrights val50-leak-cartwrights-parallel.jcmd val50-leak-beadmakers
            val50-leak-beadmakers-serial.jcmd val50-healthy-curriers-1 val50-healthy-curriers-2
            val50-healthy-curriers val50-healthy-curriers-serial.jcmd val50-healthy-joiners
            val50-healthy-joiners-parallel"
        series="val50-leak-cheesemakers val50-healthy-curriers" ;;
    validation51)
        singles="val51-leak-spicemerchants-1 val51-leak-spicemerchants-2 val51-leak-spicemerchants
            val51-leak-spicemerchants-parallel.jcmd val51-leak-framers val51-leak-framers-serial
            val51-leak-teaimporters val51-leak-teaimporters-parallel.jcmd val51-leak-karaokebars
            val51-leak-karaokebars-serial.jcmd val51-healthy-chocolatiers-1 val51-healthy-chocolatiers-2
            val51-healthy-chocolatiers val51-healthy-chocolatiers-serial.jcmd val51-healthy-recordpressers
            val51-healthy-recordpressers-parallel"
        series="val51-leak-spicemerchants val51-healthy-chocolatiers" ;;
    validation52)
        singles="val52-leak-bowyers-1 val52-leak-bowyers-2 val52-leak-bowyers
            val52-leak-bowyers-parallel.jcmd val52-leak-cordwainers val52-leak-cordwainers-serial.jcmd
            val52-leak-enamellers val52-leak-enamellers-parallel.jcmd val52-leak-goldbeaters
            val52-leak-goldbeaters-serial val52-healthy-wainwrights-1 val52-healthy-wainwrights-2
            val52-healthy-wainwrights val52-healthy-wainwrights-serial.jcmd val52-healthy-coppersmiths
            val52-healthy-coppersmiths-parallel"
        series="val52-leak-bowyers val52-healthy-wainwrights" ;;
    validation53)
        singles="val53-leak-antiquedealers-1 val53-leak-antiquedealers-2 val53-leak-antiquedealers
            val53-leak-antiquedealers-parallel.jcmd val53-leak-doggroomers val53-leak-doggroomers-serial
            val53-leak-tattoostudios val53-leak-tattoostudios-parallel.jcmd val53-leak-surfschools
            val53-leak-surfschools-serial val53-healthy-climbinggyms-1 val53-healthy-climbinggyms-2
            val53-healthy-climbinggyms val53-healthy-climbinggyms-serial.jcmd val53-healthy-opticians
            val53-healthy-opticians-parallel"
        series="val53-leak-antiquedealers val53-healthy-climbinggyms" ;;
    validation54)
        singles="val54-leak-traindepartures-1 val54-leak-traindepartures-2 val54-leak-traindepartures
            val54-leak-traindepartures-parallel.jcmd val54-leak-grantapplications val54-leak-grantapplications-serial.jcmd
            val54-leak-tidealerts val54-leak-tidealerts-parallel.jcmd val54-leak-concerthalls
            val54-leak-concerthalls-serial val54-healthy-botanicgardens-1 val54-healthy-botanicgardens-2
            val54-healthy-botanicgardens val54-healthy-botanicgardens-serial.jcmd val54-healthy-alpinehuts
            val54-healthy-alpinehuts-parallel"
        series="val54-leak-traindepartures val54-healthy-botanicgardens" ;;
    validation55)
        singles="val55-leak-webinars-1 val55-leak-webinars-2 val55-leak-webinars
            val55-leak-webinars-parallel val55-leak-ticketresale val55-leak-ticketresale-serial.jcmd
            val55-leak-photolabs val55-leak-photolabs-parallel.jcmd val55-leak-discountengine
            val55-leak-discountengine-serial val55-healthy-ballparks-1 val55-healthy-ballparks-2
            val55-healthy-ballparks val55-healthy-ballparks-serial.jcmd val55-healthy-diveshops
            val55-healthy-diveshops-parallel"
        series="val55-leak-webinars val55-healthy-ballparks" ;;
    validation56)
        singles="val56-leak-pharmacyclaims-1 val56-leak-pharmacyclaims-2 val56-leak-pharmacyclaims
            val56-leak-pharmacyclaims-parallel val56-leak-schoolmeals val56-leak-schoolmeals-serial.jcmd
            val56-leak-taximeters val56-leak-taximeters-parallel.jcmd val56-leak-invoicescans
            val56-leak-invoicescans-serial val56-healthy-kayakrentals-1 val56-healthy-kayakrentals-2
            val56-healthy-kayakrentals val56-healthy-kayakrentals-serial.jcmd val56-healthy-pricecomparison
            val56-healthy-pricecomparison-parallel"
        series="val56-leak-pharmacyclaims val56-healthy-kayakrentals" ;;
    validation57)
        singles="val57-leak-movingcompany-1 val57-leak-movingcompany-2 val57-leak-movingcompany
            val57-leak-movingcompany-parallel val57-leak-windowcleaners val57-leak-windowcleaners-serial.jcmd
            val57-leak-hotairballoons val57-leak-hotairballoons-parallel.jcmd val57-leak-thriftstores
            val57-leak-thriftstores-serial val57-healthy-campervans-1 val57-healthy-campervans-2
            val57-healthy-campervans val57-healthy-campervans-serial.jcmd val57-healthy-treesurgeons
            val57-healthy-treesurgeons-parallel"
        series="val57-leak-movingcompany val57-healthy-campervans" ;;
    validation58)
        singles="val58-leak-foodtrucks-1 val58-leak-foodtrucks-2 val58-leak-foodtrucks
            val58-leak-foodtrucks-parallel val58-leak-languageschools val58-leak-languageschools-serial.jcmd
            val58-leak-carpenters val58-leak-carpenters-parallel.jcmd val58-leak-zootickets
            val58-leak-zootickets-serial val58-healthy-beachresorts-1 val58-healthy-beachresorts-2
            val58-healthy-beachresorts val58-healthy-beachresorts-serial.jcmd val58-healthy-minigolf
            val58-healthy-minigolf-parallel"
        series="val58-leak-foodtrucks val58-healthy-beachresorts" ;;
    validation59)
        singles="val59-leak-bingohalls-1 val59-leak-bingohalls-2 val59-leak-bingohalls
            val59-leak-bingohalls-parallel val59-leak-containercranes val59-leak-containercranes-serial.jcmd
            val59-leak-charitydonations val59-leak-charitydonations-parallel.jcmd val59-leak-patentdrafting
            val59-leak-patentdrafting-serial val59-healthy-hotsprings-1 val59-healthy-hotsprings-2
            val59-healthy-hotsprings val59-healthy-hotsprings-serial.jcmd val59-healthy-choirlibrary
            val59-healthy-choirlibrary-parallel"
        series="val59-leak-bingohalls val59-healthy-hotsprings" ;;
    validation60)
        singles="val60-leak-knitpatterns-1 val60-leak-knitpatterns-2 val60-leak-knitpatterns
            val60-leak-knitpatterns-parallel val60-leak-regattalive val60-leak-regattalive-serial.jcmd
            val60-leak-cookeryschool val60-leak-cookeryschool-parallel.jcmd val60-leak-tenancydocs
            val60-leak-tenancydocs-serial val60-healthy-karttracks-1 val60-healthy-karttracks-2
            val60-healthy-karttracks val60-healthy-karttracks-serial.jcmd val60-healthy-potterystudios
            val60-healthy-potterystudios-parallel"
        series="val60-leak-knitpatterns val60-healthy-karttracks" ;;
    validation61)
        singles="val61-leak-boatcharters-1 val61-leak-boatcharters-2 val61-leak-boatcharters
            val61-leak-boatcharters-parallel val61-leak-paddlecourts val61-leak-paddlecourts-serial.jcmd
            val61-leak-solarinstalls val61-leak-solarinstalls-parallel.jcmd val61-leak-photobooths
            val61-leak-photobooths-serial val61-healthy-hostels-1 val61-healthy-hostels-2
            val61-healthy-hostels val61-healthy-hostels-serial.jcmd val61-healthy-canoeclubs
            val61-healthy-canoeclubs-parallel"
        series="val61-leak-boatcharters val61-healthy-hostels" ;;
    validation62)
        singles="val62-leak-mushroomfarms-1 val62-leak-mushroomfarms-2 val62-leak-mushroomfarms
            val62-leak-mushroomfarms-parallel val62-leak-cablecars val62-leak-cablecars-serial.jcmd
            val62-leak-bridalshops val62-leak-bridalshops-parallel.jcmd val62-leak-weatherbuoys
            val62-leak-weatherbuoys-serial val62-healthy-sailingschools-1 val62-healthy-sailingschools-2
            val62-healthy-sailingschools val62-healthy-sailingschools-serial.jcmd val62-healthy-flightschools
            val62-healthy-flightschools-parallel"
        series="val62-leak-mushroomfarms val62-healthy-sailingschools" ;;
    validation63)
        singles="val63-leak-charterflights-1 val63-leak-charterflights-2 val63-leak-charterflights
            val63-leak-charterflights-parallel val63-leak-marketstalls val63-leak-marketstalls-serial.jcmd
            val63-leak-shiftplanner val63-leak-shiftplanner-parallel.jcmd val63-leak-radioplayout
            val63-leak-radioplayout-serial val63-healthy-coachtours-1 val63-healthy-coachtours-2
            val63-healthy-coachtours val63-healthy-coachtours-serial.jcmd val63-healthy-allotments
            val63-healthy-allotments-parallel"
        series="val63-leak-charterflights val63-healthy-coachtours" ;;
    validation64)
        singles="val64-leak-artsupplies-1 val64-leak-artsupplies-2 val64-leak-artsupplies
            val64-leak-artsupplies-parallel val64-leak-pollingstations val64-leak-pollingstations-serial.jcmd
            val64-leak-gardencentres val64-leak-gardencentres-parallel.jcmd val64-leak-pubquizzes
            val64-leak-pubquizzes-serial val64-healthy-trampolineparks-1 val64-healthy-trampolineparks-2
            val64-healthy-trampolineparks val64-healthy-trampolineparks-serial.jcmd val64-healthy-carsharing
            val64-healthy-carsharing-parallel"
        series="val64-leak-artsupplies val64-healthy-trampolineparks" ;;
    validation65)
        singles="val65-leak-gardencentre-1 val65-leak-gardencentre-2 val65-leak-gardencentre
            val65-leak-gardencentre-parallel val65-leak-storageunits val65-leak-storageunits-serial.jcmd
            val65-leak-petadoption val65-leak-petadoption-parallel.jcmd val65-leak-emissionstests
            val65-leak-emissionstests-serial val65-healthy-boatyards-1 val65-healthy-boatyards-2
            val65-healthy-boatyards val65-healthy-boatyards-serial.jcmd val65-healthy-hearingclinics
            val65-healthy-hearingclinics-parallel"
        series="val65-leak-gardencentre val65-healthy-boatyards" ;;
    validation66)
        singles="val66-leak-housekeeping-1 val66-leak-housekeeping-2 val66-leak-housekeeping
            val66-leak-housekeeping-parallel val66-leak-freightforwarder val66-leak-freightforwarder-serial.jcmd
            val66-leak-horseracing val66-leak-horseracing-parallel.jcmd val66-leak-skirental
            val66-leak-skirental-serial val66-healthy-bicyclecouriers-1 val66-healthy-bicyclecouriers-2
            val66-healthy-bicyclecouriers val66-healthy-bicyclecouriers-serial.jcmd val66-healthy-mountainrescue
            val66-healthy-mountainrescue-parallel"
        series="val66-leak-housekeeping val66-healthy-bicyclecouriers" ;;
    validation67)
        singles="val67-leak-tutoringportal-1 val67-leak-tutoringportal-2 val67-leak-tutoringportal
            val67-leak-tutoringportal-parallel val67-leak-bulliondesk val67-leak-bulliondesk-serial.jcmd
            val67-leak-lettingagents val67-leak-lettingagents-parallel.jcmd val67-leak-rugbyclubs
            val67-leak-rugbyclubs-serial val67-healthy-lavenderfarms-1 val67-healthy-lavenderfarms-2
            val67-healthy-lavenderfarms val67-healthy-lavenderfarms-serial.jcmd val67-healthy-ziplineparks
            val67-healthy-ziplineparks-parallel"
        series="val67-leak-tutoringportal val67-healthy-lavenderfarms" ;;
    validation68)
        singles="val68-leak-tutoringchat-1 val68-leak-tutoringchat-2 val68-leak-tutoringchat
            val68-leak-tutoringchat-parallel val68-leak-visaapplications val68-leak-visaapplications-serial.jcmd
            val68-leak-remittances val68-leak-remittances-parallel.jcmd val68-leak-warrantyclaims
            val68-leak-warrantyclaims-serial val68-healthy-dogwalkers-1 val68-healthy-dogwalkers-2
            val68-healthy-dogwalkers val68-healthy-dogwalkers-serial.jcmd val68-healthy-seedlibraries
            val68-healthy-seedlibraries-parallel"
        series="val68-leak-tutoringchat val68-healthy-dogwalkers" ;;
    validation69)
        singles="val69-leak-newsroomcopy-1 val69-leak-newsroomcopy-2 val69-leak-newsroomcopy
            val69-leak-newsroomcopy-parallel val69-leak-tutoringrooms val69-leak-tutoringrooms-serial.jcmd
            val69-leak-spabookings val69-leak-spabookings-parallel.jcmd val69-leak-weddinginvites
            val69-leak-weddinginvites-serial val69-healthy-courtreporters-1 val69-healthy-courtreporters-2
            val69-healthy-courtreporters val69-healthy-courtreporters-serial.jcmd val69-healthy-stampcollectors
            val69-healthy-stampcollectors-parallel"
        series="val69-leak-newsroomcopy val69-healthy-courtreporters" ;;
    validation70)
        singles="val70-leak-clauselibrary-1 val70-leak-clauselibrary-2 val70-leak-clauselibrary
            val70-leak-clauselibrary-parallel val70-leak-scaffoldhire val70-leak-scaffoldhire-serial.jcmd
            val70-leak-trailmaps val70-leak-trailmaps-parallel.jcmd val70-leak-flowerauction
            val70-leak-flowerauction-serial val70-healthy-puppettheatre-1 val70-healthy-puppettheatre-2
            val70-healthy-puppettheatre val70-healthy-puppettheatre-serial.jcmd val70-healthy-vineyardtours
            val70-healthy-vineyardtours-parallel"
        series="val70-leak-clauselibrary val70-healthy-puppettheatre" ;;
    validation71)
        singles="val71-leak-birdwatch-1 val71-leak-birdwatch-2 val71-leak-birdwatch
            val71-leak-birdwatch-parallel val71-leak-blueprintplotter val71-leak-blueprintplotter-serial.jcmd
            val71-leak-hardwarestore val71-leak-hardwarestore-parallel.jcmd val71-leak-thesissubmissions
            val71-leak-thesissubmissions-serial val71-healthy-puppettheatre-1 val71-healthy-puppettheatre-2
            val71-healthy-puppettheatre val71-healthy-puppettheatre-serial.jcmd val71-healthy-oysterfarms
            val71-healthy-oysterfarms-parallel"
        series="val71-leak-birdwatch val71-healthy-puppettheatre" ;;
    validation72)
        singles="val72-leak-sneakerexchange-1 val72-leak-sneakerexchange-2 val72-leak-sneakerexchange
            val72-leak-sneakerexchange-parallel val72-leak-laundrypickup val72-leak-laundrypickup-serial.jcmd
            val72-leak-campusdining val72-leak-campusdining-parallel.jcmd val72-leak-insurancerenewals
            val72-leak-insurancerenewals-serial val72-healthy-vinylmarket-1 val72-healthy-vinylmarket-2
            val72-healthy-vinylmarket val72-healthy-vinylmarket-serial.jcmd val72-healthy-danceacademies
            val72-healthy-danceacademies-parallel"
        series="val72-leak-sneakerexchange val72-healthy-vinylmarket" ;;
    validation73)
        singles="val73-leak-boardgamecafe-1 val73-leak-boardgamecafe-2 val73-leak-boardgamecafe
            val73-leak-boardgamecafe-parallel val73-leak-heatpumps val73-leak-heatpumps-serial.jcmd
            val73-leak-scrapyards val73-leak-scrapyards-parallel.jcmd val73-leak-swimmingpools
            val73-leak-swimmingpools-serial val73-healthy-paintballarenas-1 val73-healthy-paintballarenas-2
            val73-healthy-paintballarenas val73-healthy-paintballarenas-serial.jcmd val73-healthy-curlingclubs
            val73-healthy-curlingclubs-parallel"
        series="val73-leak-boardgamecafe val73-healthy-paintballarenas" ;;
    validation74)
        singles="val74-leak-scoutgroups-1 val74-leak-scoutgroups-2 val74-leak-scoutgroups
            val74-leak-scoutgroups-parallel val74-leak-kitesurfing val74-leak-kitesurfing-serial.jcmd
            val74-leak-icecreamvans val74-leak-icecreamvans-parallel.jcmd val74-leak-renderfarm
            val74-leak-renderfarm-serial val74-healthy-quizleague-1 val74-healthy-quizleague-2
            val74-healthy-quizleague val74-healthy-quizleague-serial.jcmd val74-healthy-rollerderby
            val74-healthy-rollerderby-parallel"
        series="val74-leak-scoutgroups val74-healthy-quizleague" ;;
    validation75)
        singles="val75-leak-babymonitors-1 val75-leak-babymonitors-2 val75-leak-babymonitors
            val75-leak-babymonitors-parallel val75-leak-bikerepair val75-leak-bikerepair-serial.jcmd
            val75-leak-costumehire val75-leak-costumehire-parallel.jcmd val75-leak-helpdesk
            val75-leak-helpdesk-serial val75-healthy-robomowers-1 val75-healthy-robomowers-2
            val75-healthy-robomowers val75-healthy-robomowers-serial.jcmd val75-healthy-audioguides
            val75-healthy-audioguides-parallel"
        series="val75-leak-babymonitors val75-healthy-robomowers" ;;
    validation76)
        singles="val76-leak-campinggear-1 val76-leak-campinggear-2 val76-leak-campinggear
            val76-leak-campinggear-parallel val76-leak-trafficcameras val76-leak-trafficcameras-serial.jcmd
            val76-leak-hospitalbeds val76-leak-hospitalbeds-parallel.jcmd val76-leak-faxgateway
            val76-leak-faxgateway-serial val76-healthy-nightmarkets-1 val76-healthy-nightmarkets-2
            val76-healthy-nightmarkets val76-healthy-nightmarkets-serial.jcmd val76-healthy-archeryranges
            val76-healthy-archeryranges-parallel"
        series="val76-leak-campinggear val76-healthy-nightmarkets" ;;
    validation77)
        singles="val77-leak-guitarshop-1 val77-leak-guitarshop-2 val77-leak-guitarshop
            val77-leak-guitarshop-parallel val77-leak-energyswitch val77-leak-energyswitch-serial.jcmd
            val77-leak-carauctions val77-leak-carauctions-parallel.jcmd val77-leak-leadcapture
            val77-leak-leadcapture-serial val77-healthy-organicbox-1 val77-healthy-organicbox-2
            val77-healthy-organicbox val77-healthy-organicbox-serial.jcmd val77-healthy-glampingpods
            val77-healthy-glampingpods-parallel"
        series="val77-leak-guitarshop val77-healthy-organicbox" ;;
    validation78)
        singles="val78-leak-roadsideassist-1 val78-leak-roadsideassist-2 val78-leak-roadsideassist
            val78-leak-roadsideassist-parallel val78-leak-pagergateway val78-leak-pagergateway-serial.jcmd
            val78-leak-childcarecentres val78-leak-childcarecentres-parallel.jcmd val78-leak-festivallineup
            val78-leak-festivallineup-serial val78-healthy-airportlounges-1 val78-healthy-airportlounges-2
            val78-healthy-airportlounges val78-healthy-airportlounges-serial.jcmd val78-healthy-lifeguardrosters
            val78-healthy-lifeguardrosters-parallel"
        series="val78-leak-roadsideassist val78-healthy-airportlounges" ;;
    validation79)
        singles="val79-leak-stocktickerapi-1 val79-leak-stocktickerapi-2 val79-leak-stocktickerapi
            val79-leak-stocktickerapi-parallel val79-leak-vpngateway val79-leak-vpngateway-serial.jcmd
            val79-leak-crmdashboard val79-leak-crmdashboard-parallel.jcmd val79-leak-paintsupplies
            val79-leak-paintsupplies-serial val79-healthy-smartparking-1 val79-healthy-smartparking-2
            val79-healthy-smartparking val79-healthy-smartparking-serial.jcmd val79-healthy-tearooms
            val79-healthy-tearooms-parallel"
        series="val79-leak-stocktickerapi val79-healthy-smartparking" ;;
    validation80)
        singles="val80-leak-kiteschools-1 val80-leak-kiteschools-2 val80-leak-kiteschools
            val80-leak-kiteschools-parallel val80-leak-movingvans val80-leak-movingvans-serial.jcmd
            val80-leak-craftfairs val80-leak-craftfairs-parallel.jcmd val80-leak-labcouriers
            val80-leak-labcouriers-serial val80-healthy-sawmills-1 val80-healthy-sawmills-2
            val80-healthy-sawmills val80-healthy-sawmills-serial.jcmd val80-healthy-candyshops
            val80-healthy-candyshops-parallel"
        series="val80-leak-kiteschools val80-healthy-sawmills" ;;
    validation81)
        singles="val81-leak-arcadescores-1 val81-leak-arcadescores-2 val81-leak-arcadescores
            val81-leak-arcadescores-parallel val81-leak-posterminals val81-leak-posterminals-serial.jcmd
            val81-leak-newspaywall val81-leak-newspaywall-parallel.jcmd val81-leak-librarykiosks
            val81-leak-librarykiosks-serial val81-healthy-cycleraces-1 val81-healthy-cycleraces-2
            val81-healthy-cycleraces val81-healthy-cycleraces-serial.jcmd val81-healthy-ferryterminals
            val81-healthy-ferryterminals-parallel"
        series="val81-leak-arcadescores val81-healthy-cycleraces" ;;
    validation82)
        singles="val82-leak-mopedshare-1 val82-leak-mopedshare-2 val82-leak-mopedshare
            val82-leak-mopedshare-parallel val82-leak-scanbureau val82-leak-scanbureau-serial.jcmd
            val82-leak-canteentills val82-leak-canteentills-parallel.jcmd val82-leak-coindealers
            val82-leak-coindealers-serial val82-healthy-rivercruises-1 val82-healthy-rivercruises-2
            val82-healthy-rivercruises val82-healthy-rivercruises-serial.jcmd val82-healthy-farmshops
            val82-healthy-farmshops-parallel"
        series="val82-leak-mopedshare val82-healthy-rivercruises" ;;
    validation83)
        singles="val83-leak-bincollection-1 val83-leak-bincollection-2 val83-leak-bincollection
            val83-leak-bincollection-parallel val83-leak-sequencinglab val83-leak-sequencinglab-serial.jcmd
            val83-leak-filmarchive val83-leak-filmarchive-parallel.jcmd val83-leak-windtunnel
            val83-leak-windtunnel-serial val83-healthy-coworking-1 val83-healthy-coworking-2
            val83-healthy-coworking val83-healthy-coworking-serial.jcmd val83-healthy-marinesurveys
            val83-healthy-marinesurveys-parallel"
        series="val83-leak-bincollection val83-healthy-coworking" ;;
    validation84)
        singles="val84-leak-bubbletea-1 val84-leak-bubbletea-2 val84-leak-bubbletea
            val84-leak-bubbletea-parallel val84-leak-plantcare val84-leak-plantcare-serial.jcmd
            val84-leak-travelinsurance val84-leak-travelinsurance-parallel.jcmd val84-leak-firmwareota
            val84-leak-firmwareota-serial val84-healthy-foodbank-1 val84-healthy-foodbank-2
            val84-healthy-foodbank val84-healthy-foodbank-serial.jcmd val84-healthy-recordingstudios
            val84-healthy-recordingstudios-parallel"
        series="val84-leak-bubbletea val84-healthy-foodbank" ;;
    validation85)
        singles="val85-leak-grocerypickup-1 val85-leak-grocerypickup-2 val85-leak-grocerypickup
            val85-leak-grocerypickup-parallel val85-leak-alignerlab val85-leak-alignerlab-serial.jcmd
            val85-leak-cadconvert val85-leak-cadconvert-parallel.jcmd val85-leak-giftcards
            val85-leak-giftcards-serial val85-healthy-timberframes-1 val85-healthy-timberframes-2
            val85-healthy-timberframes val85-healthy-timberframes-serial.jcmd val85-healthy-museumloans
            val85-healthy-museumloans-parallel"
        series="val85-leak-grocerypickup val85-healthy-timberframes" ;;
    validation86)
        singles="val86-leak-merchantsync-1 val86-leak-merchantsync-2 val86-leak-merchantsync
            val86-leak-merchantsync-parallel val86-leak-brochurestudio val86-leak-brochurestudio-serial.jcmd
            val86-leak-pricefeeds val86-leak-pricefeeds-parallel.jcmd val86-leak-fontdelivery
            val86-leak-fontdelivery-serial val86-healthy-channelmanager-1 val86-healthy-channelmanager-2
            val86-healthy-channelmanager val86-healthy-channelmanager-serial.jcmd val86-healthy-buildingpermits
            val86-healthy-buildingpermits-parallel"
        series="val86-leak-merchantsync val86-healthy-channelmanager" ;;
    validation87)
        singles="val87-leak-autoparts-1 val87-leak-autoparts-2 val87-leak-autoparts
            val87-leak-autoparts-parallel val87-leak-homevaluations val87-leak-homevaluations-serial.jcmd
            val87-leak-digitalmagazines val87-leak-digitalmagazines-parallel.jcmd val87-leak-planningportal
            val87-leak-planningportal-serial val87-healthy-guidebooks-1 val87-healthy-guidebooks-2
            val87-healthy-guidebooks val87-healthy-guidebooks-serial.jcmd val87-healthy-windowblinds
            val87-healthy-windowblinds-parallel"
        series="val87-leak-autoparts val87-healthy-guidebooks" ;;
    validation88)
        singles="val88-leak-mailcampaigns-1 val88-leak-mailcampaigns-2 val88-leak-mailcampaigns
            val88-leak-mailcampaigns-parallel val88-leak-turnstiles val88-leak-turnstiles-serial.jcmd
            val88-leak-rfidportals val88-leak-rfidportals-parallel.jcmd val88-leak-marketplacehooks
            val88-leak-marketplacehooks-serial val88-healthy-cipipelines-1 val88-healthy-cipipelines-2
            val88-healthy-cipipelines val88-healthy-cipipelines-serial.jcmd val88-healthy-tradeshows
            val88-healthy-tradeshows-parallel"
        series="val88-leak-mailcampaigns val88-healthy-cipipelines" ;;
    validation89)
        singles="val89-leak-concretebatching-1 val89-leak-concretebatching-2 val89-leak-concretebatching
            val89-leak-concretebatching-parallel val89-leak-councilminutes val89-leak-councilminutes-serial.jcmd
            val89-leak-idverification val89-leak-idverification-parallel.jcmd val89-leak-skiphire
            val89-leak-skiphire-serial val89-healthy-carehomes-1 val89-healthy-carehomes-2
            val89-healthy-carehomes val89-healthy-carehomes-serial.jcmd val89-healthy-bandrehearsal
            val89-healthy-bandrehearsal-parallel"
        series="val89-leak-concretebatching val89-healthy-carehomes" ;;
    validation90)
        singles="val90-leak-commoditybrokers-1 val90-leak-commoditybrokers-2 val90-leak-commoditybrokers
            val90-leak-commoditybrokers-parallel val90-leak-dentalimaging val90-leak-dentalimaging-serial.jcmd
            val90-leak-videodepositions val90-leak-videodepositions-parallel.jcmd val90-leak-accountantportal
            val90-leak-accountantportal-serial val90-healthy-alumninetwork-1 val90-healthy-alumninetwork-2
            val90-healthy-alumninetwork val90-healthy-alumninetwork-serial.jcmd val90-healthy-medicaltranscription
            val90-healthy-medicaltranscription-parallel"
        series="val90-leak-commoditybrokers val90-healthy-alumninetwork" ;;
    validation91)
        singles="val91-leak-recipecommunity-1 val91-leak-recipecommunity-2 val91-leak-recipecommunity
            val91-leak-recipecommunity-parallel val91-leak-crosswordduels val91-leak-crosswordduels-serial.jcmd
            val91-leak-carboncredits val91-leak-carboncredits-parallel.jcmd val91-leak-subtitlestudio
            val91-leak-subtitlestudio-serial val91-healthy-makerspaces-1 val91-healthy-makerspaces-2
            val91-healthy-makerspaces val91-healthy-makerspaces-serial.jcmd val91-healthy-planetarium
            val91-healthy-planetarium-parallel"
        series="val91-leak-recipecommunity val91-healthy-makerspaces" ;;
    validation92)
        singles="val92-leak-fuelcooperative-1 val92-leak-fuelcooperative-2 val92-leak-fuelcooperative
            val92-leak-fuelcooperative-parallel val92-leak-marineunderwriting val92-leak-marineunderwriting-serial.jcmd
            val92-leak-signinterpreters val92-leak-signinterpreters-parallel.jcmd val92-leak-homebrewsupply
            val92-leak-homebrewsupply-serial val92-healthy-cropsprayers-1 val92-healthy-cropsprayers-2
            val92-healthy-cropsprayers val92-healthy-cropsprayers-serial.jcmd val92-healthy-bookmobiles
            val92-healthy-bookmobiles-parallel"
        series="val92-leak-fuelcooperative val92-healthy-cropsprayers" ;;
    validation93)
        singles="val93-leak-shiptracking-1 val93-leak-shiptracking-2 val93-leak-shiptracking
            val93-leak-shiptracking-parallel val93-leak-prescriptionrefills val93-leak-prescriptionrefills-serial.jcmd
            val93-leak-vehiclerecalls val93-leak-vehiclerecalls-parallel.jcmd val93-leak-examresults
            val93-leak-examresults-serial val93-healthy-railfreight-1 val93-healthy-railfreight-2
            val93-healthy-railfreight val93-healthy-railfreight-serial.jcmd val93-healthy-streetlighting
            val93-healthy-streetlighting-parallel"
        series="val93-leak-shiptracking val93-healthy-railfreight" ;;
    validation94)
        singles="val94-leak-stairlifts-1 val94-leak-stairlifts-2 val94-leak-stairlifts
            val94-leak-stairlifts-parallel val94-leak-marqueehire val94-leak-marqueehire-serial.jcmd
            val94-leak-fundadmin val94-leak-fundadmin-parallel.jcmd val94-leak-pumpstations
            val94-leak-pumpstations-serial val94-healthy-watertaxis-1 val94-healthy-watertaxis-2
            val94-healthy-watertaxis val94-healthy-watertaxis-serial.jcmd val94-healthy-orienteering
            val94-healthy-orienteering-parallel"
        series="val94-leak-stairlifts val94-healthy-watertaxis" ;;
    validation95)
        singles="val95-leak-timesheethooks-1 val95-leak-timesheethooks-2 val95-leak-timesheethooks
            val95-leak-timesheethooks-parallel val95-leak-printquotes val95-leak-printquotes-serial.jcmd
            val95-leak-fleetreports val95-leak-fleetreports-parallel.jcmd val95-leak-wineclub
            val95-leak-wineclub-serial val95-healthy-fishmarkets-1 val95-healthy-fishmarkets-2
            val95-healthy-fishmarkets val95-healthy-fishmarkets-serial.jcmd val95-healthy-bottlebanks
            val95-healthy-bottlebanks-parallel"
        series="val95-leak-timesheethooks val95-healthy-fishmarkets" ;;
    validation96)
        singles="val96-leak-charityraffles-1 val96-leak-charityraffles-2 val96-leak-charityraffles
            val96-leak-charityraffles-serial val96-leak-holidaylets val96-leak-holidaylets-parallel.jcmd
            val96-leak-dentallabs val96-leak-dentallabs-serial.jcmd val96-leak-tenderportal
            val96-leak-tenderportal-parallel val96-healthy-lockkeepers-1 val96-healthy-lockkeepers-2
            val96-healthy-lockkeepers val96-healthy-lockkeepers-serial.jcmd val96-healthy-hopfarms
            val96-healthy-hopfarms-parallel"
        series="val96-leak-charityraffles val96-healthy-lockkeepers" ;;
    validation97)
        singles="val97-leak-labelartwork-1 val97-leak-labelartwork-2 val97-leak-labelartwork
            val97-leak-labelartwork-serial val97-leak-harbourdues val97-leak-harbourdues-parallel.jcmd
            val97-leak-farmsubsidies val97-leak-farmsubsidies-serial.jcmd val97-leak-pensionstatements
            val97-leak-pensionstatements-parallel val97-healthy-flightcatering-1
            val97-healthy-flightcatering-2 val97-healthy-flightcatering
            val97-healthy-flightcatering-serial.jcmd val97-healthy-weatherradar
            val97-healthy-weatherradar-parallel"
        series="val97-leak-labelartwork val97-healthy-flightcatering" ;;
    validation98)
        singles="val98-leak-fishinglicences-1 val98-leak-fishinglicences-2 val98-leak-fishinglicences
            val98-leak-fishinglicences-serial val98-leak-harbourdues val98-leak-harbourdues-parallel.jcmd
            val98-leak-cricketscores val98-leak-cricketscores-serial.jcmd val98-leak-addressrules
            val98-leak-addressrules-parallel val98-healthy-lecturestreams-1 val98-healthy-lecturestreams-2
            val98-healthy-lecturestreams val98-healthy-lecturestreams-serial.jcmd val98-healthy-radarmosaics
            val98-healthy-radarmosaics-parallel"
        series="val98-leak-fishinglicences val98-healthy-lecturestreams" ;;
    validation99)
        singles="val99-leak-petpharmacy-1 val99-leak-petpharmacy-2 val99-leak-petpharmacy
            val99-leak-petpharmacy-serial val99-leak-boatregistry val99-leak-boatregistry-parallel.jcmd
            val99-leak-royaltyreports val99-leak-royaltyreports-serial.jcmd val99-leak-greetingcards
            val99-leak-greetingcards-parallel val99-healthy-parceldepots-1 val99-healthy-parceldepots-2
            val99-healthy-parceldepots val99-healthy-parceldepots-serial.jcmd val99-healthy-animalshelters
            val99-healthy-animalshelters-parallel"
        series="val99-leak-petpharmacy val99-healthy-parceldepots" ;;
    validation100)
        singles="val100-leak-partyrentals-1 val100-leak-partyrentals-2 val100-leak-partyrentals
            val100-leak-partyrentals-serial val100-leak-spinclasses val100-leak-spinclasses-parallel.jcmd
            val100-leak-escrowdesk val100-leak-escrowdesk-serial.jcmd val100-leak-interiordesign
            val100-leak-interiordesign-parallel val100-healthy-velodrome-1 val100-healthy-velodrome-2
            val100-healthy-velodrome val100-healthy-velodrome-serial.jcmd val100-healthy-fountainpens
            val100-healthy-fountainpens-parallel"
        series="val100-leak-partyrentals val100-healthy-velodrome" ;;
    validation101)
        singles="val101-leak-quiltdesigner-1 val101-leak-quiltdesigner-2 val101-leak-quiltdesigner
            val101-leak-quiltdesigner-serial val101-leak-aquaculture val101-leak-aquaculture-parallel.jcmd
            val101-leak-beachhuts val101-leak-beachhuts-serial.jcmd val101-leak-flooring
            val101-leak-flooring-parallel val101-healthy-stagelighting-1 val101-healthy-stagelighting-2
            val101-healthy-stagelighting val101-healthy-stagelighting-serial.jcmd val101-healthy-sugarshacks
            val101-healthy-sugarshacks-parallel"
        series="val101-leak-quiltdesigner val101-healthy-stagelighting" ;;
    validation102)
        singles="val102-leak-watermeters-1 val102-leak-watermeters-2 val102-leak-watermeters
            val102-leak-watermeters-serial val102-leak-lotteryterminals val102-leak-lotteryterminals-parallel.jcmd
            val102-leak-potholereports val102-leak-potholereports-serial.jcmd val102-leak-schoolbussms
            val102-leak-schoolbussms-parallel val102-healthy-verticalfarms-1 val102-healthy-verticalfarms-2
            val102-healthy-verticalfarms val102-healthy-verticalfarms-serial.jcmd val102-healthy-castletours
            val102-healthy-castletours-parallel"
        series="val102-leak-watermeters val102-healthy-verticalfarms" ;;
    validation103)
        singles="val103-leak-carpetcleaners-1 val103-leak-carpetcleaners-2 val103-leak-carpetcleaners
            val103-leak-carpetcleaners-serial val103-leak-metalsexchange val103-leak-metalsexchange-parallel.jcmd
            val103-leak-drycleaners val103-leak-drycleaners-serial.jcmd val103-leak-orthodontics
            val103-leak-orthodontics-serial.jcmd val103-healthy-ropeways-1 val103-healthy-ropeways-2
            val103-healthy-ropeways val103-healthy-ropeways-serial.jcmd val103-healthy-cheesemongers
            val103-healthy-cheesemongers-parallel"
        series="val103-leak-carpetcleaners val103-healthy-ropeways" ;;
    validation104)
        singles="val104-leak-rarebooks-1 val104-leak-rarebooks-2 val104-leak-rarebooks
            val104-leak-rarebooks-serial val104-leak-vanleasing val104-leak-vanleasing-parallel.jcmd
            val104-leak-lyriceditor val104-leak-lyriceditor-serial.jcmd val104-leak-telematics
            val104-leak-telematics-parallel val104-healthy-calligraphy-1 val104-healthy-calligraphy-2
            val104-healthy-calligraphy val104-healthy-calligraphy-serial.jcmd val104-healthy-tennisladders
            val104-healthy-tennisladders-parallel"
        series="val104-leak-rarebooks val104-healthy-calligraphy" ;;
    validation105)
        singles="val105-leak-valetparking-1 val105-leak-valetparking-2 val105-leak-valetparking
            val105-leak-valetparking-serial val105-leak-avalanchesensors val105-leak-avalanchesensors-parallel.jcmd
            val105-leak-voterrolls val105-leak-voterrolls-serial.jcmd val105-leak-marinafuel
            val105-leak-marinafuel-parallel val105-healthy-fossildigs-1 val105-healthy-fossildigs-2
            val105-healthy-fossildigs val105-healthy-fossildigs-serial.jcmd val105-healthy-meadbreweries
            val105-healthy-meadbreweries-parallel"
        series="val105-leak-valetparking val105-healthy-fossildigs" ;;
    validation106)
        singles="val106-leak-pianolessons-1 val106-leak-pianolessons-2 val106-leak-pianolessons
            val106-leak-pianolessons-serial val106-leak-ebooklending val106-leak-ebooklending-parallel.jcmd
            val106-leak-fantasyfootball val106-leak-fantasyfootball-serial.jcmd val106-leak-bridgeclub
            val106-leak-bridgeclub-parallel val106-healthy-nordicskiing-1 val106-healthy-nordicskiing-2
            val106-healthy-nordicskiing val106-healthy-nordicskiing-serial.jcmd val106-healthy-flourmills
            val106-healthy-flourmills-parallel"
        series="val106-leak-pianolessons val106-healthy-nordicskiing" ;;
    validation107)
        singles="val107-leak-motorbikedealers-1 val107-leak-motorbikedealers-2 val107-leak-motorbikedealers
            val107-leak-motorbikedealers-serial val107-leak-cottagesearch val107-leak-cottagesearch-parallel.jcmd
            val107-leak-livestockmart val107-leak-livestockmart-serial.jcmd val107-leak-gymsoftware
            val107-leak-gymsoftware-parallel val107-healthy-postoffices-1 val107-healthy-postoffices-2
            val107-healthy-postoffices val107-healthy-postoffices-serial.jcmd val107-healthy-canalboats
            val107-healthy-canalboats-parallel"
        series="val107-leak-motorbikedealers val107-healthy-postoffices" ;;
    validation108)
        singles="val108-leak-payslipruns-1 val108-leak-payslipruns-2 val108-leak-payslipruns
            val108-leak-payslipruns-serial.jcmd val108-leak-censusbureau val108-leak-censusbureau-parallel
            val108-leak-zoningrules val108-leak-zoningrules-serial.jcmd val108-leak-taxidispatch
            val108-leak-taxidispatch-parallel.jcmd val108-healthy-rickshaws-1 val108-healthy-rickshaws-2
            val108-healthy-rickshaws val108-healthy-rickshaws-serial.jcmd val108-healthy-saltworks
            val108-healthy-saltworks-parallel"
        series="val108-leak-payslipruns val108-healthy-rickshaws" ;;
    validation109)
        singles="val109-leak-lossadjusters val109-leak-lossadjusters-serial.jcmd val109-leak-courtlistings
            val109-leak-courtlistings-parallel val109-leak-heatloss-1 val109-leak-heatloss-2 val109-leak-heatloss
            val109-leak-heatloss-parallel.jcmd val109-leak-pollenalerts val109-leak-pollenalerts-serial
            val109-healthy-liftpasses-1 val109-healthy-liftpasses-2 val109-healthy-liftpasses
            val109-healthy-liftpasses-serial.jcmd val109-healthy-dosimetry val109-healthy-dosimetry-parallel"
        series="val109-leak-heatloss val109-healthy-liftpasses" ;;
    validation110)
        singles="val110-leak-burialregisters-1 val110-leak-burialregisters-2 val110-leak-burialregisters
            val110-leak-burialregisters-parallel.jcmd val110-leak-textileprinting val110-leak-textileprinting-serial.jcmd
            val110-leak-ceramicglazes val110-leak-ceramicglazes-parallel val110-leak-snookerhalls.jcmd
            val110-leak-snookerhalls-serial val110-healthy-saunas-1 val110-healthy-saunas-2
            val110-healthy-saunas val110-healthy-saunas-serial.jcmd val110-healthy-funeralhomes
            val110-healthy-funeralhomes-parallel.jcmd"
        series="val110-leak-burialregisters val110-healthy-saunas" ;;
    validation111)
        singles="val111-leak-truffleauctions val111-leak-truffleauctions-parallel val111-leak-skydivecentres
            val111-leak-skydivecentres-serial.jcmd val111-leak-shipyards-1 val111-leak-shipyards-2
            val111-leak-shipyards val111-leak-shipyards-serial.jcmd val111-leak-firelookouts.jcmd
            val111-leak-firelookouts-parallel val111-healthy-alpacashearing-1 val111-healthy-alpacashearing-2
            val111-healthy-alpacashearing val111-healthy-alpacashearing-serial.jcmd val111-healthy-letterpress
            val111-healthy-letterpress-parallel.jcmd"
        series="val111-leak-shipyards val111-healthy-alpacashearing" ;;
    validation112)
        singles="val112-leak-conveyancing val112-leak-conveyancing-parallel.jcmd val112-leak-bikeleasing
            val112-leak-bikeleasing-serial val112-leak-footfallcounters-1 val112-leak-footfallcounters-2
            val112-leak-footfallcounters val112-leak-footfallcounters-serial.jcmd val112-leak-lostproperty
            val112-leak-lostproperty-parallel val112-healthy-dogshows-1 val112-healthy-dogshows-2
            val112-healthy-dogshows val112-healthy-dogshows-parallel.jcmd val112-healthy-greengrocers
            val112-healthy-greengrocers-serial.jcmd"
        series="val112-leak-footfallcounters val112-healthy-dogshows" ;;
    validation113)
        singles="val113-leak-wintergritting val113-leak-wintergritting-parallel.jcmd val113-leak-animalmovements
            val113-leak-animalmovements-serial val113-leak-lasercutting-1 val113-leak-lasercutting-2
            val113-leak-lasercutting val113-leak-lasercutting-serial.jcmd val113-leak-crashreports
            val113-leak-crashreports-parallel val113-healthy-heritagerailway-1 val113-healthy-heritagerailway-2
            val113-healthy-heritagerailway val113-healthy-heritagerailway-parallel.jcmd val113-healthy-woolmills
            val113-healthy-woolmills-serial.jcmd"
        series="val113-leak-lasercutting val113-healthy-heritagerailway" ;;
    validation114)
        singles="val114-leak-theorytests val114-leak-theorytests-parallel.jcmd val114-leak-colocation-1
            val114-leak-colocation-2 val114-leak-colocation val114-leak-colocation-serial val114-leak-soillabs
            val114-leak-soillabs-serial.jcmd val114-leak-mobiletopups val114-leak-mobiletopups-parallel
            val114-healthy-triathlons-1 val114-healthy-triathlons-2 val114-healthy-triathlons
            val114-healthy-triathlons-parallel.jcmd val114-healthy-snowmaking val114-healthy-snowmaking-serial.jcmd"
        series="val114-leak-colocation val114-healthy-triathlons" ;;
    validation115)
        singles="val115-leak-weighbridges val115-leak-weighbridges-parallel.jcmd val115-leak-seaplanetours-1
            val115-leak-seaplanetours-2 val115-leak-seaplanetours val115-leak-seaplanetours-serial
            val115-leak-tachographimports val115-leak-tachographimports-serial.jcmd val115-leak-tidalturbines
            val115-leak-tidalturbines-parallel val115-healthy-kombuchabrewers-1 val115-healthy-kombuchabrewers-2
            val115-healthy-kombuchabrewers val115-healthy-kombuchabrewers-parallel.jcmd val115-healthy-heliports
            val115-healthy-heliports-serial.jcmd"
        series="val115-leak-seaplanetours val115-healthy-kombuchabrewers" ;;
    validation116)
        singles="val116-leak-seaplanes-1 val116-leak-seaplanes-2 val116-leak-seaplanes val116-leak-seaplanes-serial.jcmd
            val116-leak-milkrounds val116-leak-milkrounds-parallel val116-leak-escalators
            val116-leak-escalators-parallel.jcmd val116-leak-flashcards val116-leak-flashcards-serial
            val116-healthy-tugboats-1 val116-healthy-tugboats-2 val116-healthy-tugboats
            val116-healthy-tugboats-parallel.jcmd val116-healthy-funiculars val116-healthy-funiculars-serial.jcmd"
        series="val116-leak-seaplanes val116-healthy-tugboats" ;;
    validation117)
        singles="val117-leak-pavingquotes val117-leak-pavingquotes-parallel.jcmd val117-leak-postcodelookup-1
            val117-leak-postcodelookup-2 val117-leak-postcodelookup val117-leak-postcodelookup-serial
            val117-leak-barbershops val117-leak-barbershops-serial.jcmd val117-leak-brailletranscripts
            val117-leak-brailletranscripts-parallel val117-healthy-bonsainurseries-1 val117-healthy-bonsainurseries-2
            val117-healthy-bonsainurseries val117-healthy-bonsainurseries-parallel.jcmd val117-healthy-vetlabs
            val117-healthy-vetlabs-serial.jcmd"
        series="val117-leak-postcodelookup val117-healthy-bonsainurseries" ;;
    validation118)
        singles="val118-leak-microloans val118-leak-microloans-serial val118-leak-waterjetcutting-1
            val118-leak-waterjetcutting-2 val118-leak-waterjetcutting val118-leak-waterjetcutting-parallel.jcmd
            val118-leak-appliancerepair val118-leak-appliancerepair-parallel val118-leak-bettingshops
            val118-leak-bettingshops-serial.jcmd val118-healthy-bikeparks-1 val118-healthy-bikeparks-2
            val118-healthy-bikeparks val118-healthy-bikeparks-parallel.jcmd val118-healthy-seaweedfarms
            val118-healthy-seaweedfarms-serial.jcmd"
        series="val118-leak-waterjetcutting val118-healthy-bikeparks" ;;
    validation119)
        singles="val119-leak-pestcontrol val119-leak-pestcontrol-parallel.jcmd val119-leak-locumagency-1
            val119-leak-locumagency-2 val119-leak-locumagency val119-leak-locumagency-serial
            val119-leak-geothermaldrilling val119-leak-geothermaldrilling-serial.jcmd val119-leak-studfarms
            val119-leak-studfarms-parallel val119-healthy-insectfarms-1 val119-healthy-insectfarms-2
            val119-healthy-insectfarms val119-healthy-insectfarms-parallel.jcmd val119-healthy-phonerepairs
            val119-healthy-phonerepairs-serial.jcmd"
        series="val119-leak-locumagency val119-healthy-insectfarms" ;;
    validation120)
        singles="val120-leak-flightstrips val120-leak-flightstrips-parallel.jcmd val120-leak-depositreturns-1
            val120-leak-depositreturns-2 val120-leak-depositreturns val120-leak-depositreturns-serial
            val120-leak-hydrantsurveys val120-leak-hydrantsurveys-serial.jcmd val120-leak-minibars
            val120-leak-minibars-parallel val120-healthy-patisseries-1 val120-healthy-patisseries-2
            val120-healthy-patisseries val120-healthy-patisseries-parallel.jcmd val120-healthy-osteopathy
            val120-healthy-osteopathy-serial.jcmd"
        series="val120-leak-depositreturns val120-healthy-patisseries" ;;
    validation121)
        singles="val121-leak-infusionpumps val121-leak-infusionpumps-parallel.jcmd val121-leak-carpools-1
            val121-leak-carpools-2 val121-leak-carpools val121-leak-carpools-serial val121-leak-schooltimetables
            val121-leak-schooltimetables-serial.jcmd val121-leak-podcastarchive val121-leak-podcastarchive-parallel
            val121-healthy-lidos-1 val121-healthy-lidos-2 val121-healthy-lidos val121-healthy-lidos-parallel.jcmd
            val121-healthy-fireworks val121-healthy-fireworks-serial.jcmd"
        series="val121-leak-carpools val121-healthy-lidos" ;;
    validation122)
        singles="val122-leak-greyhoundtote val122-leak-greyhoundtote-parallel.jcmd val122-leak-vaccineshipments-1
            val122-leak-vaccineshipments-2 val122-leak-vaccineshipments val122-leak-vaccineshipments-serial
            val122-leak-glidingclub val122-leak-glidingclub-serial.jcmd val122-leak-plumbingmerchant
            val122-leak-plumbingmerchant-parallel val122-healthy-lasertag-1 val122-healthy-lasertag-2
            val122-healthy-lasertag val122-healthy-lasertag-parallel.jcmd val122-healthy-jukeboxes
            val122-healthy-jukeboxes-serial.jcmd"
        series="val122-leak-vaccineshipments val122-healthy-lasertag" ;;
    validation123)
        singles="val123-leak-apprenticeships val123-leak-apprenticeships-parallel.jcmd val123-leak-giftaid-1
            val123-leak-giftaid-2 val123-leak-giftaid val123-leak-giftaid-serial val123-leak-energycertificates
            val123-leak-energycertificates-serial.jcmd val123-leak-musicexams val123-leak-musicexams-parallel
            val123-healthy-sheepdogtrials-1 val123-healthy-sheepdogtrials-2 val123-healthy-sheepdogtrials
            val123-healthy-sheepdogtrials-parallel.jcmd val123-healthy-pigeonracing val123-healthy-pigeonracing-serial.jcmd"
        series="val123-leak-giftaid val123-healthy-sheepdogtrials" ;;
    validation124)
        singles="val124-leak-schoolphotos val124-leak-schoolphotos-parallel.jcmd val124-leak-parkrunresults-1
            val124-leak-parkrunresults-2 val124-leak-parkrunresults val124-leak-parkrunresults-serial
            val124-leak-caravanparks val124-leak-caravanparks-serial.jcmd val124-leak-mottesting
            val124-leak-mottesting-parallel val124-healthy-lasertag-1 val124-healthy-lasertag-2
            val124-healthy-lasertag val124-healthy-lasertag-parallel.jcmd val124-healthy-whitewatercentres
            val124-healthy-whitewatercentres-serial.jcmd"
        series="val124-leak-parkrunresults val124-healthy-lasertag" ;;
    validation125)
        singles="val125-leak-weddingvenues-1 val125-leak-weddingvenues-2 val125-leak-weddingvenues
            val125-leak-weddingvenues-serial.jcmd val125-leak-cyclehire val125-leak-cyclehire-parallel.jcmd
            val125-leak-dartsleague val125-leak-dartsleague-serial val125-leak-audiobooks
            val125-leak-audiobooks-parallel val125-healthy-pickyourown-1 val125-healthy-pickyourown-2
            val125-healthy-pickyourown val125-healthy-pickyourown-parallel.jcmd val125-healthy-physioclinics
            val125-healthy-physioclinics-serial.jcmd"
        series="val125-leak-weddingvenues val125-healthy-pickyourown" ;;
    validation126)
        singles="val126-leak-dialysisunits val126-leak-dialysisunits-parallel.jcmd val126-leak-windscreenrepairs-1
            val126-leak-windscreenrepairs-2 val126-leak-windscreenrepairs val126-leak-windscreenrepairs-serial.jcmd
            val126-leak-celebrationcakes val126-leak-celebrationcakes-serial val126-leak-chiptiming
            val126-leak-chiptiming-parallel val126-healthy-fencingclubs-1 val126-healthy-fencingclubs-2
            val126-healthy-fencingclubs val126-healthy-fencingclubs-parallel.jcmd val126-healthy-physioclinics
            val126-healthy-physioclinics-serial.jcmd"
        series="val126-leak-windscreenrepairs val126-healthy-fencingclubs" ;;
    validation127)
        singles="val127-leak-pilatesstudios-1 val127-leak-pilatesstudios-2 val127-leak-pilatesstudios
            val127-leak-pilatesstudios-serial.jcmd val127-leak-ridingschools val127-leak-ridingschools-parallel.jcmd
            val127-leak-sushibars val127-leak-sushibars-serial val127-leak-icehockey val127-leak-icehockey-parallel
            val127-healthy-lawnbowls-1 val127-healthy-lawnbowls-2 val127-healthy-lawnbowls
            val127-healthy-lawnbowls-parallel.jcmd val127-healthy-ramenshops val127-healthy-ramenshops-serial.jcmd"
        series="val127-leak-pilatesstudios val127-healthy-lawnbowls" ;;
    validation128)
        singles="val128-leak-bathymetry val128-leak-bathymetry-parallel.jcmd val128-leak-radiosondes-1
            val128-leak-radiosondes-2 val128-leak-radiosondes val128-leak-radiosondes-serial.jcmd
            val128-leak-unioncatalogue val128-leak-unioncatalogue-serial val128-leak-einvoicing
            val128-leak-einvoicing-parallel val128-healthy-icehockey-1 val128-healthy-icehockey-2
            val128-healthy-icehockey val128-healthy-icehockey-parallel.jcmd val128-healthy-herdbooks
            val128-healthy-herdbooks-serial.jcmd"
        series="val128-leak-radiosondes val128-healthy-icehockey" ;;
    validation129)
        singles="val129-leak-floodrisk-1 val129-leak-floodrisk-2 val129-leak-floodrisk
            val129-leak-floodrisk-serial.jcmd val129-leak-carbootsales val129-leak-carbootsales-parallel.jcmd
            val129-leak-sluicegates.jcmd val129-leak-sluicegates-serial val129-leak-levelcrossings
            val129-leak-levelcrossings-parallel val129-healthy-funfairs-1 val129-healthy-funfairs-2
            val129-healthy-funfairs val129-healthy-funfairs-parallel.jcmd val129-healthy-orchidnurseries
            val129-healthy-orchidnurseries-serial.jcmd"
        series="val129-leak-floodrisk val129-healthy-funfairs" ;;
    validation130)
        singles="val130-leak-mineventilation-1 val130-leak-mineventilation-2 val130-leak-mineventilation
            val130-leak-mineventilation-parallel.jcmd val130-leak-degreeaudit val130-leak-degreeaudit-serial.jcmd
            val130-leak-themeparkrides val130-leak-themeparkrides-parallel val130-leak-circustickets
            val130-leak-circustickets-serial val130-healthy-submarinecables-1 val130-healthy-submarinecables-2
            val130-healthy-submarinecables val130-healthy-submarinecables-serial.jcmd val130-healthy-icebreakers
            val130-healthy-icebreakers-parallel.jcmd"
        series="val130-leak-mineventilation val130-healthy-submarinecables" ;;
    validation131)
        singles="val131-leak-showcaves-1 val131-leak-showcaves-2 val131-leak-showcaves
            val131-leak-showcaves-parallel.jcmd val131-leak-bungeejumps val131-leak-bungeejumps-serial.jcmd
            val131-leak-limousinehire val131-leak-limousinehire-parallel val131-leak-stainedglass
            val131-leak-stainedglass-serial val131-healthy-llamatrekking-1 val131-healthy-llamatrekking-2
            val131-healthy-llamatrekking val131-healthy-llamatrekking-serial.jcmd val131-healthy-olivepresses
            val131-healthy-olivepresses-serial.jcmd"
        series="val131-leak-showcaves val131-healthy-llamatrekking" ;;
    validation132)
        singles="val132-leak-biogasplants-1 val132-leak-biogasplants-2 val132-leak-biogasplants
            val132-leak-biogasplants-parallel.jcmd val132-leak-compostsites val132-leak-compostsites-parallel.jcmd
            val132-leak-sewersurveys.jcmd val132-leak-sewersurveys-serial val132-leak-substations
            val132-leak-substations-serial.jcmd val132-healthy-wastewaterworks-1 val132-healthy-wastewaterworks-2
            val132-healthy-wastewaterworks val132-healthy-wastewaterworks-serial.jcmd val132-healthy-batterystorage
            val132-healthy-batterystorage-parallel.jcmd"
        series="val132-leak-biogasplants val132-healthy-wastewaterworks" ;;
    validation133)
        singles="val133-leak-baggagehandling-1 val133-leak-baggagehandling-2 val133-leak-baggagehandling
            val133-leak-baggagehandling-parallel.jcmd val133-leak-sugarbeet val133-leak-sugarbeet-serial
            val133-leak-volcanowatch.jcmd val133-leak-volcanowatch-parallel val133-leak-peerreview
            val133-leak-peerreview-serial.jcmd val133-healthy-cranberrybogs-1 val133-healthy-cranberrybogs-2
            val133-healthy-cranberrybogs val133-healthy-cranberrybogs-parallel.jcmd val133-healthy-airshiptours
            val133-healthy-airshiptours-serial.jcmd"
        series="val133-leak-baggagehandling val133-healthy-cranberrybogs" ;;
    validation134)
        singles="val134-leak-bailiffs-1 val134-leak-bailiffs-2 val134-leak-bailiffs
            val134-leak-bailiffs-parallel.jcmd val134-leak-probate val134-leak-probate-serial.jcmd
            val134-leak-chiropractors.jcmd val134-leak-chiropractors-serial val134-leak-segwaytours
            val134-leak-segwaytours-parallel val134-healthy-wheelchairservices-1 val134-healthy-wheelchairservices-2
            val134-healthy-wheelchairservices val134-healthy-wheelchairservices-serial.jcmd val134-healthy-forensiclabs
            val134-healthy-forensiclabs-parallel.jcmd"
        series="val134-leak-bailiffs val134-healthy-wheelchairservices" ;;
    validation135)
        singles="val135-leak-aprsgateway-1 val135-leak-aprsgateway-2 val135-leak-aprsgateway
            val135-leak-aprsgateway-serial.jcmd val135-leak-coronercourt val135-leak-coronercourt-parallel.jcmd
            val135-leak-hospicecare val135-leak-hospicecare-serial val135-leak-doorbellcams.jcmd
            val135-leak-doorbellcams-parallel val135-healthy-sleddograces-1 val135-healthy-sleddograces-2
            val135-healthy-sleddograces val135-healthy-sleddograces-parallel.jcmd val135-healthy-treeringlab
            val135-healthy-treeringlab-parallel.jcmd"
        series="val135-leak-aprsgateway val135-healthy-sleddograces" ;;
    validation136)
        singles="val136-leak-septictanks-1 val136-leak-septictanks-2 val136-leak-septictanks
            val136-leak-septictanks-serial.jcmd val136-leak-jewellers val136-leak-jewellers-parallel
            val136-leak-lobsterfishery.jcmd val136-leak-lobsterfishery-serial val136-leak-coachhire
            val136-leak-coachhire-parallel.jcmd val136-healthy-brassbands-1 val136-healthy-brassbands-2
            val136-healthy-brassbands val136-healthy-brassbands-parallel.jcmd val136-healthy-hamradiologs
            val136-healthy-hamradiologs-serial.jcmd"
        series="val136-leak-septictanks val136-healthy-brassbands" ;;
    validation137)
        singles="val137-leak-houseboathire-1 val137-leak-houseboathire-2 val137-leak-houseboathire
            val137-leak-houseboathire-serial.jcmd val137-leak-wigretail val137-leak-wigretail-parallel.jcmd
            val137-leak-judotournaments.jcmd val137-leak-judotournaments-serial val137-leak-canyoning
            val137-leak-canyoning-parallel val137-healthy-whalewatching-1 val137-healthy-whalewatching-2
            val137-healthy-whalewatching val137-healthy-whalewatching-parallel.jcmd val137-healthy-signdictionary
            val137-healthy-signdictionary-parallel.jcmd"
        series="val137-leak-houseboathire val137-healthy-whalewatching" ;;
    validation138)
        singles="val138-leak-netballleagues-1 val138-leak-netballleagues-2 val138-leak-netballleagues
            val138-leak-netballleagues-serial.jcmd val138-leak-jigsawpuzzles val138-leak-jigsawpuzzles-parallel.jcmd
            val138-leak-karategradings.jcmd val138-leak-karategradings-serial val138-leak-dressmakers
            val138-leak-dressmakers-parallel val138-healthy-hottubhire-1 val138-healthy-hottubhire-2
            val138-healthy-hottubhire val138-healthy-hottubhire-parallel.jcmd val138-healthy-signwriters
            val138-healthy-signwriters-serial.jcmd"
        series="val138-leak-netballleagues val138-healthy-hottubhire" ;;
    validation139)
        singles="val139-leak-foodrescue-1 val139-leak-foodrescue-2 val139-leak-foodrescue
            val139-leak-foodrescue-serial.jcmd val139-leak-wallpapersamples val139-leak-wallpapersamples-parallel.jcmd
            val139-leak-vehicledismantlers val139-leak-vehicledismantlers-serial val139-leak-numberplates
            val139-leak-numberplates-parallel val139-healthy-haberdashery-1 val139-healthy-haberdashery-2
            val139-healthy-haberdashery val139-healthy-haberdashery-parallel.jcmd val139-healthy-modelrailways
            val139-healthy-modelrailways-serial.jcmd"
        series="val139-leak-foodrescue val139-healthy-haberdashery" ;;
    validation140)
        singles="val140-leak-horoscopes-1 val140-leak-horoscopes-2 val140-leak-horoscopes
            val140-leak-horoscopes-serial.jcmd val140-leak-screenprinters val140-leak-screenprinters-parallel.jcmd
            val140-leak-speedway val140-leak-speedway-serial val140-leak-badminton.jcmd
            val140-leak-badminton-parallel val140-healthy-insulinpumps-1 val140-healthy-insulinpumps-2
            val140-healthy-insulinpumps val140-healthy-insulinpumps-parallel.jcmd val140-healthy-butchers
            val140-healthy-butchers-serial.jcmd"
        series="val140-leak-horoscopes val140-healthy-insulinpumps" ;;
    validation141)
        singles="val141-leak-axethrowing-1 val141-leak-axethrowing-2 val141-leak-axethrowing
            val141-leak-axethrowing-serial.jcmd val141-leak-billboards val141-leak-billboards-parallel.jcmd
            val141-leak-virtualtabletop val141-leak-virtualtabletop-serial val141-leak-crystallography.jcmd
            val141-leak-crystallography-parallel val141-healthy-floattanks-1 val141-healthy-floattanks-2
            val141-healthy-floattanks val141-healthy-floattanks-parallel.jcmd val141-healthy-lidarsurveys
            val141-healthy-lidarsurveys-serial.jcmd"
        series="val141-leak-axethrowing val141-healthy-floattanks" ;;
    validation142)
        singles="val142-leak-hurlingscores-1 val142-leak-hurlingscores-2 val142-leak-hurlingscores
            val142-leak-hurlingscores-serial.jcmd val142-leak-plagiarismchecks val142-leak-plagiarismchecks-parallel.jcmd
            val142-leak-comicpublishing val142-leak-comicpublishing-serial val142-leak-modularhomes.jcmd
            val142-leak-modularhomes-parallel val142-healthy-shootingrange-1 val142-healthy-shootingrange-2
            val142-healthy-shootingrange val142-healthy-shootingrange-parallel.jcmd val142-healthy-tabletopgames
            val142-healthy-tabletopgames-serial.jcmd"
        series="val142-leak-hurlingscores val142-healthy-shootingrange" ;;
    validation143)
        singles="val143-leak-biathlonportal-1 val143-leak-biathlonportal-2 val143-leak-biathlonportal
            val143-leak-biathlonportal-serial.jcmd val143-leak-monasteryretreats val143-leak-monasteryretreats-parallel
            val143-leak-bobsleightiming.jcmd val143-leak-bobsleightiming-serial val143-leak-hatcheryexports
            val143-leak-hatcheryexports-parallel.jcmd val143-healthy-croquetleague-1 val143-healthy-croquetleague-2
            val143-healthy-croquetleague val143-healthy-croquetleague-parallel.jcmd val143-healthy-badukanalysis
            val143-healthy-badukanalysis-serial.jcmd"
        series="val143-leak-biathlonportal val143-healthy-croquetleague" ;;
    validation144)
        singles="val144-leak-bagelshops-1 val144-leak-bagelshops-2 val144-leak-bagelshops
            val144-leak-bagelshops-serial.jcmd val144-leak-dragonboatclubs val144-leak-dragonboatclubs-parallel.jcmd
            val144-leak-waterrights val144-leak-waterrights-serial val144-leak-mahjongscoring
            val144-leak-mahjongscoring-parallel val144-healthy-rodeos-1 val144-healthy-rodeos-2
            val144-healthy-rodeos val144-healthy-rodeos-parallel.jcmd val144-healthy-lacrosseleagues
            val144-healthy-lacrosseleagues-serial.jcmd"
        series="val144-leak-bagelshops val144-healthy-rodeos" ;;
    validation145)
        singles="val145-leak-lacrosseleagues-1 val145-leak-lacrosseleagues-2 val145-leak-lacrosseleagues
            val145-leak-lacrosseleagues-serial.jcmd val145-leak-hackathons val145-leak-hackathons-parallel.jcmd
            val145-leak-rodeoscoring val145-leak-rodeoscoring-serial val145-leak-transplantwaitlist
            val145-leak-transplantwaitlist-parallel val145-healthy-mahjongclubs-1 val145-healthy-mahjongclubs-2
            val145-healthy-mahjongclubs val145-healthy-mahjongclubs-parallel.jcmd val145-healthy-bobsleightracks
            val145-healthy-bobsleightracks-serial.jcmd"
        series="val145-leak-lacrosseleagues val145-healthy-mahjongclubs" ;;
    validation146)
        singles="val146-leak-lacrosseleagues-1 val146-leak-lacrosseleagues-2 val146-leak-lacrosseleagues
            val146-leak-lacrosseleagues-serial.jcmd val146-leak-hydrogenstations val146-leak-hydrogenstations-parallel.jcmd
            val146-leak-ukuleletabs val146-leak-ukuleletabs-serial val146-leak-dumplingbars.jcmd
            val146-leak-dumplingbars-parallel val146-healthy-rodeos-1 val146-healthy-rodeos-2 val146-healthy-rodeos
            val146-healthy-rodeos-parallel.jcmd val146-healthy-tofufactories val146-healthy-tofufactories-serial.jcmd"
        series="val146-leak-lacrosseleagues val146-healthy-rodeos" ;;
    validation147)
        singles="val147-leak-fjordcruises-1 val147-leak-fjordcruises-2 val147-leak-fjordcruises
            val147-leak-fjordcruises-parallel val147-leak-quarrytrucks val147-leak-quarrytrucks-serial.jcmd
            val147-leak-stampauctions val147-leak-stampauctions-parallel.jcmd val147-leak-yurtcamps
            val147-leak-yurtcamps-serial val147-healthy-ropeaccess-1 val147-healthy-ropeaccess-2
            val147-healthy-ropeaccess val147-healthy-ropeaccess-serial.jcmd val147-healthy-bellfoundry
            val147-healthy-bellfoundry-parallel.jcmd"
        series="val147-leak-fjordcruises val147-healthy-ropeaccess" ;;
    validation148)
        singles="val148-leak-timberauctions-1 val148-leak-timberauctions-2 val148-leak-timberauctions
            val148-leak-timberauctions-parallel val148-leak-courtinterpreters val148-leak-courtinterpreters-serial.jcmd
            val148-leak-beehivescales val148-leak-beehivescales-parallel.jcmd val148-leak-astrophotos
            val148-leak-astrophotos-serial val148-healthy-kitefestivals-1 val148-healthy-kitefestivals-2
            val148-healthy-kitefestivals val148-healthy-kitefestivals-serial.jcmd val148-healthy-maplesyrup
            val148-healthy-maplesyrup-parallel.jcmd"
        series="val148-leak-timberauctions val148-healthy-kitefestivals" ;;
    validation149)
        singles="val149-leak-gondolalifts-1 val149-leak-gondolalifts-2 val149-leak-gondolalifts
            val149-leak-gondolalifts-parallel val149-leak-carparkbarriers val149-leak-carparkbarriers-serial.jcmd
            val149-leak-tuxedohire val149-leak-tuxedohire-parallel.jcmd val149-leak-snowcatfleet
            val149-leak-snowcatfleet-serial val149-healthy-sakebreweries-1 val149-healthy-sakebreweries-2
            val149-healthy-sakebreweries val149-healthy-sakebreweries-serial.jcmd val149-healthy-inkmakers
            val149-healthy-inkmakers-parallel"
        series="val149-leak-gondolalifts val149-healthy-sakebreweries" ;;
    validation150)
        singles="val150-leak-cargobikes-1 val150-leak-cargobikes-2 val150-leak-cargobikes
            val150-leak-cargobikes-parallel val150-leak-propanedelivery val150-leak-propanedelivery-serial.jcmd
            val150-leak-steelfabrication val150-leak-steelfabrication-parallel.jcmd val150-leak-crossdocking
            val150-leak-crossdocking-serial val150-healthy-refillstations-1 val150-healthy-refillstations-2
            val150-healthy-refillstations val150-healthy-refillstations-serial.jcmd val150-healthy-coastguardstations
            val150-healthy-coastguardstations-parallel.jcmd"
        series="val150-leak-cargobikes val150-healthy-refillstations" ;;
    validation151)
        singles="val151-leak-muralcommissions-1 val151-leak-muralcommissions-2 val151-leak-muralcommissions
            val151-leak-muralcommissions-parallel val151-leak-grainsilos val151-leak-grainsilos-serial.jcmd
            val151-leak-leisurecentres val151-leak-leisurecentres-parallel.jcmd val151-leak-antiquemaps
            val151-leak-antiquemaps-serial val151-healthy-teablending-1 val151-healthy-teablending-2
            val151-healthy-teablending val151-healthy-teablending-serial.jcmd val151-healthy-carillons
            val151-healthy-carillons-parallel.jcmd"
        series="val151-leak-muralcommissions val151-healthy-teablending" ;;
    validation152)
        singles="val152-leak-petfoodsubs-1 val152-leak-petfoodsubs-2 val152-leak-petfoodsubs
            val152-leak-petfoodsubs-parallel val152-leak-scooterrides val152-leak-scooterrides-serial.jcmd
            val152-leak-pcbassembly val152-leak-pcbassembly-parallel.jcmd val152-leak-bureaudechange
            val152-leak-bureaudechange-serial val152-healthy-paddlesteamers-1 val152-healthy-paddlesteamers-2
            val152-healthy-paddlesteamers val152-healthy-paddlesteamers-serial.jcmd val152-healthy-loftconversions
            val152-healthy-loftconversions-parallel"
        series="val152-leak-petfoodsubs val152-healthy-paddlesteamers" ;;
    validation153)
        singles="val153-leak-auroraalerts-1 val153-leak-auroraalerts-2 val153-leak-auroraalerts
            val153-leak-auroraalerts-parallel val153-leak-petmicrochips val153-leak-petmicrochips-serial.jcmd
            val153-leak-remotelabs val153-leak-remotelabs-parallel.jcmd val153-leak-choreonotation
            val153-leak-choreonotation-serial val153-healthy-tyrefitters-1 val153-healthy-tyrefitters-2
            val153-healthy-tyrefitters val153-healthy-tyrefitters-serial.jcmd val153-healthy-puzzlehunts
            val153-healthy-puzzlehunts-parallel"
        series="val153-leak-auroraalerts val153-healthy-tyrefitters" ;;
    validation154)
        singles="val154-leak-evcharging-1 val154-leak-evcharging-2 val154-leak-evcharging
            val154-leak-evcharging-parallel val154-leak-serverrooms val154-leak-serverrooms-serial.jcmd
            val154-leak-loyaltypoints val154-leak-loyaltypoints-parallel.jcmd val154-leak-marathontracker
            val154-leak-marathontracker-serial val154-healthy-hotelconcierge-1 val154-healthy-hotelconcierge-2
            val154-healthy-hotelconcierge val154-healthy-hotelconcierge-serial.jcmd val154-healthy-tollbridges
            val154-healthy-tollbridges-parallel.jcmd"
        series="val154-leak-evcharging val154-healthy-hotelconcierge" ;;
    *)
        echo "usage: $0 tuning|validation|validation2|validation3|validation4|validation5|validation6|validation7|validation8|validation9|validation10|validation11|validation12|validation13|validation14|validation15|validation16|validation17|validation18|validation19|validation20|validation21|validation22|validation23|validation24|validation25|validation26|validation27|validation28|validation29|validation30|validation31|validation32|validation33|validation34|validation35|validation36|validation37|validation38|validation39|validation40|validation41|validation42|validation43|validation44|validation45|validation46|validation47|validation48|validation49|validation50|validation51|validation52|validation53|validation54|validation55|validation56|validation57|validation58|validation59|validation60|validation61|validation62|validation63|validation64|validation65|validation66|validation67|validation68|validation69|validation70|validation71|validation72|validation73|validation74|validation75|validation76|validation77|validation78|validation79|validation80|validation81|validation82|validation83|validation84|validation85|validation86|validation87|validation88|validation89|validation90|validation91|validation92|validation93|validation94|validation95|validation96|validation97|validation98|validation99|validation100|validation101|validation102|validation103|validation104|validation105|validation106|validation107|validation108|validation109|validation110|validation111|validation112|validation113|validation114|validation115|validation116|validation117|validation118|validation119|validation120|validation121|validation122|validation123|validation124|validation125|validation126|validation127|validation128|validation129|validation130|validation131|validation132|validation133|validation134|validation135|validation136|validation137|validation138|validation139|validation140|validation141|validation142|validation143|validation144|validation145|validation146|validation147|validation148|validation149|validation150|validation151|validation152|validation153|validation154 [HPROFSCAN]" >&2
        exit 2 ;;
esac

summary() {
    python3 -c '
import json, sys
r = json.load(sys.stdin)
print("  outcome:", r["outcome"])
for s in r["suspects"]:
    h = s["holder"]
    print("  S#%d %s/%s %s %s.%s %.1f%% n=%d" % (s["rank"], s["verdict"], s["confidence"],
          s["kind"], h["class"].split(".")[-1], h["field"], 100 * s["share"], s["entries"]))
    for e in s["evidence"]:
        sign = "+" if e["supports"] == "leak" else "-"
        print("      %s %s %s: %s" % (sign, e["strength"], e["name"], e["detail"][:120]))
for t in r["verdicts"]:
    if t["verdict"] not in ("leak", "possible-leak"):
        print("  R %s/%s %s %s %dB n=%d" % (t["verdict"], t["confidence"], t["kind"],
              t["holder"].split(".")[-1], t["retained_bytes"], t["entries"]))
'
}

for d in $singles; do
    echo "=== $d"
    "$bin" leaks "$(dump_file "$d")" --progress never --format json | summary
done
for s in $series; do
    echo "=== series $s"
    "$bin" leaks "$(dump_file "$s-1")" "$(dump_file "$s-2")" "$(dump_file "$s")" \
        --progress never --format json | summary
done
