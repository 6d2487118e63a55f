#!/usr/bin/env bash
# Walks one hazardous batch from registration to incineration with curl, then reads it back as a
# regulator (indicators, trace) and as an auditor (stream history with the integrity chain).
# Run from the repository root after `npm run build` (needs curl, jq and python3):
#   bash scripts/walkthrough.sh
# It starts its own api on port 3111 (WALK_PORT to choose another) with a fresh data directory and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATA=$(mktemp -d); PORT=${WALK_PORT:-3111}; API=http://127.0.0.1:$PORT
WASTEFLOW_DATA_DIR=$DATA WASTEFLOW_HW_CATALOGUE=catalogue/hw-list-2021.csv PORT=$PORT node dist/apps/api/src/main.js > "$DATA/api.log" 2>&1 &
API_PID=$!
trap 'kill $API_PID 2>/dev/null || true' EXIT
for i in $(seq 1 100); do curl -s -o /dev/null $API/health 2>/dev/null && break; sleep 0.2; done

ADMIN=$(cat $DATA/admin-token)
# Times are relative to the day it runs (yesterday in China Standard Time), so the walk works whenever it
# is run: a fixed date would turn into "out of order" or an expired permit one day.
DAY=$(TZ=Asia/Shanghai date -d yesterday +%F); MONTH=${DAY:0:7}
FROM=$(TZ=Asia/Shanghai date -d '-30 days' +%F); TO=$(TZ=Asia/Shanghai date -d '+4 years' +%F)
post() { # post TOKEN PATH KEY JSON
  curl -s -X POST "$API$2" -H "Authorization: Bearer $1" -H "Idempotency-Key: $3" -H 'Content-Type: application/json' -d "$4"
}
G=91330106MA27Y5XK06   # 杭州西湖精细化工有限公司 (西湖区)
C=91330109MA2H3KT715   # 杭州萧山危险货物运输有限公司 (萧山区)
R=91330114MA2CJ8RL58   # 杭州钱塘固废处置有限公司 (钱塘区)

echo '# 1. parties (admin)'
post $ADMIN /v1/parties reg-g '{"uscc":"'$G'","name":"杭州西湖精细化工有限公司","roles":["generator"],"districtCode":"330106"}' | jq -c '{uscc,roles,stream,revision,position}'
post $ADMIN /v1/parties reg-c '{"uscc":"'$C'","name":"杭州萧山危险货物运输有限公司","roles":["carrier"],"districtCode":"330109"}' | jq -c '{uscc,roles,stream,position}'
post $ADMIN /v1/parties reg-r '{"uscc":"'$R'","name":"杭州钱塘固废处置有限公司","roles":["receiver"],"districtCode":"330114"}' | jq -c '{uscc,roles,stream,position}'

echo '# 2. tokens (admin): one per party, one for the Hangzhou regulator of hazardous waste'
TG=$(post $ADMIN /v1/tokens tok-g '{"kind":"party","partyUscc":"'$G'","label":"西湖精细化工"}' | jq -r .token)
TC=$(post $ADMIN /v1/tokens tok-c '{"kind":"party","partyUscc":"'$C'"}' | jq -r .token)
TR=$(post $ADMIN /v1/tokens tok-r '{"kind":"party","partyUscc":"'$R'"}' | jq -r .token)
post $ADMIN /v1/tokens tok-reg '{"kind":"regulator","districts":["3301"],"categories":["hazardous"],"label":"杭州市生态环境局"}' > "$DATA/reg.json"
jq -c '{token: (.token[0:12]+"…"), tokenId, kind, districts, categories, stream}' $DATA/reg.json
TREG=$(jq -r .token $DATA/reg.json)

echo '# 3. permit for the receiver: HW08, incineration (regulator)'
post $TREG /v1/parties/$R/permits permit-1 '{"permitNo":"3301000012","hwCategories":["HW08"],"operations":["D10","store"],"annualCapacityKg":30000000,"validFrom":"'$FROM'","validTo":"'$TO'"}' | jq -c '{permitNo,hwCategories,operations,stream,revision,position}'

echo '# 4. the generator records 1,250.5 kg of waste mineral oil (900-249-08)'
post $TG /v1/batches gen-1 '{"category":"hazardous","wasteCode":"900-249-08","description":"废矿物油","massKg":1250.5,"occurredAt":"'$DAY'T09:00:00+08:00"}' > "$DATA/gen.json"
jq -c '{traceCode,massKg,stream,revision,position}' $DATA/gen.json
CODE=$(jq -r .traceCode $DATA/gen.json)

echo '# 5. manifest to the receiver, carrier named (shipper = generator)'
post $TG /v1/manifests man-1 '{"lines":[{"traceCode":"'$CODE'","massKg":1250.5}],"carrierUscc":"'$C'","receiverUscc":"'$R'","plannedAt":"'$DAY'T14:00:00+08:00","occurredAt":"'$DAY'T10:00:00+08:00"}' > "$DATA/man.json"
jq -c '{manifestNo,totalKg,stream,position,streams:[.streams[].stream]}' $DATA/man.json
NO=$(jq -r .manifestNo $DATA/man.json)

echo '# 6. pickup (the named carrier)'
post $TC /v1/manifests/$NO/pickup pick-1 '{"vehiclePlate":"浙A·D12345","occurredAt":"'$DAY'T14:05:00+08:00","weighedKg":1251}' | jq -c '{status,vehiclePlate,shippedKg,position,streams:[.streams[].stream]}'

echo '# 7. receipt: 1,240.5 kg arrive (10 kg lost in transit), all accepted (the receiver)'
post $TR /v1/manifests/$NO/receipt rec-1 '{"occurredAt":"'$DAY'T16:30:00+08:00","lines":[{"traceCode":"'$CODE'","receivedKg":1240.5,"acceptedKg":1240.5}]}' | jq -c '{status,lines,position}'

echo '# 8. incineration, D10 (the receiver, now custodian)'
curl -s -D $DATA/treat.headers -X POST "$API/v1/batches/$CODE/treatments" -H "Authorization: Bearer $TR" -H 'Idempotency-Key: treat-1' -H 'Content-Type: application/json' -d '{"operation":"D10","massKg":1240.5,"occurredAt":"'$DAY'T20:00:00+08:00"}' | jq -c '{event,operation,mode,massKg,remainingKg,permitNo,stream,revision,position}'
grep -i 'x-ledger-position\|idempotency-replayed' $DATA/treat.headers

echo '# 9. the same request again: the first answer, Idempotency-Replayed, nothing appended'
curl -s -D - -o /dev/null -X POST "$API/v1/batches/$CODE/treatments" -H "Authorization: Bearer $TR" -H 'Idempotency-Key: treat-1' -H 'Content-Type: application/json' -d '{"operation":"D10","massKg":1240.5,"occurredAt":"'$DAY'T20:00:00+08:00"}' | grep -i '^HTTP\|x-ledger-position\|idempotency-replayed'

echo '# 10. refusals: the carrier treating (403), a second incineration (422), no key (400)'
post $TC /v1/batches/$CODE/treatments t-x '{"operation":"D10","massKg":1,"occurredAt":"'$DAY'T20:00:00+08:00"}' | jq -c '{status,rule,detail}'
post $TR /v1/batches/$CODE/treatments t-y '{"operation":"D10","massKg":1,"occurredAt":"'$DAY'T20:10:00+08:00"}' | jq -c '{status,rule,detail}'
curl -s -X POST "$API/v1/batches/$CODE/treatments" -H "Authorization: Bearer $TR" -H 'Content-Type: application/json' -d '{}' | jq -c '{status,rule,errors}'

echo '# 11. the batch stream as stored'
python3 - "$DATA/events.sqlite" "batch-$CODE" <<'PY'
import sqlite3, sys, json, hashlib
db = sqlite3.connect(sys.argv[1]); prev = None
for rev, t, data, meta in db.execute("SELECT revision, type, data, metadata FROM event_log WHERE stream = ? ORDER BY revision", (sys.argv[2],)):
    meta = json.loads(meta); claimed = meta.pop("hash")
    ok = meta["prevHash"] == prev and hashlib.sha256(json.dumps({"type": t, "data": json.loads(data), "metadata": meta}, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest() == claimed
    print(rev, t, meta["actor"], "hash ok" if ok else "HASH MISMATCH")
    prev = claimed
PY

echo '# 12. the regulator: indicators for Hangzhou (3301), hazardous, the month of the walk (waits for the position)'
POS=$(grep -i x-ledger-position "$DATA/treat.headers" | tr -d '\r' | awk '{print $2}')
curl -s "$API/v1/indicators?region=3301&category=hazardous&from=$MONTH&to=$MONTH&minPosition=$POS" -H "Authorization: Bearer $TREG" | jq -c .

echo '# 13. the regulator: the batch trace (浙固码)'
curl -s "$API/v1/batches/$CODE?minPosition=$POS" -H "Authorization: Bearer $TREG" | jq -c '{traceCode,category,wasteCode,origin:{generatorUscc:.origin.generatorUscc,districtCode:.origin.districtCode},generatedKg,heldKg,custodianUscc,status,steps:[.steps[]|{type,actorUscc,massKg}],discrepancies,position}'

echo '# 14. the auditor: the batch stream with the state after each event and the integrity chain'
TA=$(post $ADMIN /v1/tokens tok-aud '{"kind":"auditor","label":"市审计局"}' | jq -r .token)
curl -s "$API/v1/audit/streams/batch-$CODE" -H "Authorization: Bearer $TA" | jq -c '{stream,events:[.events[]|{revision,type,heldKg:(.stateAfter.heldGrams/1000)}],integrity}'

echo '# 15. who may treat: the generator utilising its own slag (R5) is refused until the regulator registers its facility'
post $TG /v1/batches gen-slag '{"category":"industrial","subtype":"slag","description":"炉渣","massKg":80,"occurredAt":"'$DAY'T09:30:00+08:00"}' > "$DATA/slag.json"
SLAG=$(jq -r .traceCode $DATA/slag.json)
post $TG /v1/batches/$SLAG/treatments own-1 '{"operation":"R5","massKg":80,"occurredAt":"'$DAY'T11:00:00+08:00"}' > "$DATA/own-refused.json"
jq -c '{status,rule,detail}' $DATA/own-refused.json
post $TREG /v1/parties/$G/facilities fac-1 '{"facilityCode":"ZJ-330106-F001","operations":["R5","C2"],"validFrom":"'$FROM'","validTo":"'$TO'"}' | jq -c '{facilityCode,operations,validFrom,validTo,stream,position}'
post $TG /v1/batches/$SLAG/treatments own-2 '{"operation":"R5","massKg":80,"occurredAt":"'$DAY'T11:00:00+08:00"}' > "$DATA/own.json"
jq -c '{event,operation,mode,massKg,remainingKg,position}' $DATA/own.json

# CI runs this script: it fails unless the walk ended where it should (incinerated, counted by the regulator)
STATUS=$(curl -s "$API/v1/batches/$CODE?minPosition=$POS" -H "Authorization: Bearer $TREG" | jq -r .status)
BURNT=$(curl -s "$API/v1/indicators?region=3301&category=hazardous&from=$MONTH&to=$MONTH&minPosition=$POS" -H "Authorization: Bearer $TREG" | jq -r .incineratedKg)
if [ "$STATUS" != depleted ] || [ "$BURNT" != 1240.5 ]; then
  echo "walkthrough FAILED: batch $CODE is $STATUS, incineratedKg $BURNT (expected depleted, 1240.5)" >&2
  exit 1
fi
if [ "$(jq -r .rule $DATA/own-refused.json)" != not-allowed-to-treat ] || [ "$(jq -r .event $DATA/own.json)" != WasteUtilised ]; then
  echo "walkthrough FAILED: own utilisation without a facility $(jq -c . $DATA/own-refused.json), with one $(jq -c . $DATA/own.json)" >&2
  exit 1
fi
echo "walkthrough ok: $CODE incinerated, 1240.5 kg counted; own utilisation only with a registered facility"
