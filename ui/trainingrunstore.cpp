// The training panel's runs, kept across restarts: runs.json (every run's
// settings, epochs, per-step loss and confusion matrix) beside each run's best
// checkpoint, in the app's data folder.
#include "trainingpanel.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace kiln {

namespace {

QString &storeOverride()
{
    static QString path;
    return path;
}

QJsonArray strings(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList strings(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        list.append(item.toString());
    return list;
}

QJsonObject numbers(const QMap<QString, double> &map)
{
    QJsonObject object;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

QMap<QString, double> numbers(const QJsonValue &value)
{
    QMap<QString, double> map;
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        map.insert(it.key(), it.value().toDouble());
    return map;
}

QJsonObject optionsJson(const TrainOptions &o)
{
    return {{QStringLiteral("data"), o.data}, {QStringLiteral("target"), o.target}, {QStringLiteral("features"), strings(o.features)},
            {QStringLiteral("task"), o.task}, {QStringLiteral("standardize"), o.standardize}, {QStringLiteral("valData"), o.valData},
            {QStringLiteral("imageSize"), o.imageSize}, {QStringLiteral("model"), o.model}, {QStringLiteral("loss"), o.loss},
            {QStringLiteral("epochs"), o.epochs}, {QStringLiteral("lr"), o.lr}, {QStringLiteral("batchSize"), o.batchSize},
            {QStringLiteral("valSplit"), o.valSplit}, {QStringLiteral("seed"), o.seed}, {QStringLiteral("optimizer"), o.optimizer},
            {QStringLiteral("weightDecay"), o.weightDecay}, {QStringLiteral("schedule"), o.schedule},
            {QStringLiteral("patience"), o.patience}, {QStringLiteral("device"), o.device}};
}

TrainOptions optionsFrom(const QJsonObject &j)
{
    TrainOptions o;
    o.data = j.value(QStringLiteral("data")).toString();
    o.target = j.value(QStringLiteral("target")).toString();
    o.features = strings(j.value(QStringLiteral("features")));
    o.task = j.value(QStringLiteral("task")).toString(o.task);
    o.standardize = j.value(QStringLiteral("standardize")).toBool(o.standardize);
    o.valData = j.value(QStringLiteral("valData")).toString();
    o.imageSize = j.value(QStringLiteral("imageSize")).toInt(o.imageSize);
    o.model = j.value(QStringLiteral("model")).toString();
    o.loss = j.value(QStringLiteral("loss")).toString(o.loss);
    o.epochs = j.value(QStringLiteral("epochs")).toInt(o.epochs);
    o.lr = j.value(QStringLiteral("lr")).toDouble(o.lr);
    o.batchSize = j.value(QStringLiteral("batchSize")).toInt(o.batchSize);
    o.valSplit = j.value(QStringLiteral("valSplit")).toDouble(o.valSplit);
    o.seed = j.value(QStringLiteral("seed")).toInt(o.seed);
    o.optimizer = j.value(QStringLiteral("optimizer")).toString(o.optimizer);
    o.weightDecay = j.value(QStringLiteral("weightDecay")).toDouble(o.weightDecay);
    o.schedule = j.value(QStringLiteral("schedule")).toString(o.schedule);
    o.patience = j.value(QStringLiteral("patience")).toInt(o.patience);
    o.device = j.value(QStringLiteral("device")).toString(o.device);
    return o;
}

QJsonObject resultJson(const TrainResult &r)
{
    QJsonArray epochs;
    for (const EpochReport &epoch : r.epochs)
        epochs.append(QJsonObject{{QStringLiteral("epoch"), epoch.epoch}, {QStringLiteral("step"), epoch.step},
                                  {QStringLiteral("metrics"), numbers(epoch.metrics)}});
    QJsonArray confusion;
    for (const QList<qint64> &row : r.confusion) {
        QJsonArray counts;
        for (const qint64 count : row)
            counts.append(count);
        confusion.append(counts);
    }
    QJsonArray shape;
    for (const int size : r.inputShape)
        shape.append(size);
    return {{QStringLiteral("ok"), r.ok}, {QStringLiteral("stopped"), r.stopped}, {QStringLiteral("task"), r.task},
            {QStringLiteral("loss"), r.loss}, {QStringLiteral("model"), r.model}, {QStringLiteral("features"), r.features},
            {QStringLiteral("inputShape"), shape}, {QStringLiteral("featureNames"), strings(r.featureNames)},
            {QStringLiteral("classes"), r.classes}, {QStringLiteral("classNames"), strings(r.classNames)},
            {QStringLiteral("trainSamples"), r.trainSamples}, {QStringLiteral("valSamples"), r.valSamples},
            {QStringLiteral("epochs"), epochs}, {QStringLiteral("bestEpoch"), r.bestEpoch},
            {QStringLiteral("best"), numbers(r.best)}, {QStringLiteral("confusion"), confusion},
            {QStringLiteral("started"), r.started.toString(Qt::ISODateWithMs)}, {QStringLiteral("seconds"), r.seconds},
            {QStringLiteral("versions"), r.versions}};
}

TrainResult resultFrom(const QJsonObject &j)
{
    TrainResult r;
    r.ok = j.value(QStringLiteral("ok")).toBool();
    r.stopped = j.value(QStringLiteral("stopped")).toBool();
    r.task = j.value(QStringLiteral("task")).toString();
    r.loss = j.value(QStringLiteral("loss")).toString();
    r.model = j.value(QStringLiteral("model")).toString();
    r.features = j.value(QStringLiteral("features")).toInt();
    for (const QJsonValue &size : j.value(QStringLiteral("inputShape")).toArray())
        r.inputShape.append(size.toInt());
    r.featureNames = strings(j.value(QStringLiteral("featureNames")));
    r.classes = j.value(QStringLiteral("classes")).toInt();
    r.classNames = strings(j.value(QStringLiteral("classNames")));
    r.trainSamples = j.value(QStringLiteral("trainSamples")).toInteger();
    r.valSamples = j.value(QStringLiteral("valSamples")).toInteger();
    for (const QJsonValue &value : j.value(QStringLiteral("epochs")).toArray()) {
        const QJsonObject epoch = value.toObject();
        EpochReport report;
        report.epoch = epoch.value(QStringLiteral("epoch")).toInt();
        report.step = epoch.value(QStringLiteral("step")).toInt();
        report.metrics = numbers(epoch.value(QStringLiteral("metrics")));
        r.epochs.append(report);
    }
    r.bestEpoch = j.value(QStringLiteral("bestEpoch")).toInt();
    r.best = numbers(j.value(QStringLiteral("best")));
    for (const QJsonValue &row : j.value(QStringLiteral("confusion")).toArray()) {
        QList<qint64> counts;
        for (const QJsonValue &count : row.toArray())
            counts.append(count.toInteger());
        r.confusion.append(counts);
    }
    r.started = QDateTime::fromString(j.value(QStringLiteral("started")).toString(), Qt::ISODateWithMs);
    r.seconds = j.value(QStringLiteral("seconds")).toDouble();
    r.versions = j.value(QStringLiteral("versions")).toString();
    return r;
}

} // namespace

QString TrainingPanel::runStore()
{
    const QString path = storeOverride().isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/runs")
        : storeOverride();
    QDir().mkpath(path);
    return path;
}

void TrainingPanel::setRunStore(const QString &folder)
{
    storeOverride() = folder;
}

void TrainingPanel::saveRuns() const
{
    QJsonArray records;
    for (const Run &run : mRuns) {
        QJsonArray steps;
        for (const QPointF &point : run.stepLosses)
            steps.append(QJsonArray{point.x(), point.y()});
        records.append(QJsonObject{{QStringLiteral("name"), run.name}, {QStringLiteral("modelLabel"), run.modelLabel},
                                   {QStringLiteral("deviceLabel"), run.deviceLabel},
                                   {QStringLiteral("checkpoint"), QFileInfo(run.model).fileName()},
                                   {QStringLiteral("options"), optionsJson(run.options)},
                                   {QStringLiteral("result"), resultJson(run.result)}, {QStringLiteral("steps"), steps}});
    }
    QSaveFile file(QDir(runStore()).filePath(QStringLiteral("runs.json")));
    const QByteArray json = QJsonDocument(QJsonObject{{QStringLiteral("runs"), records}}).toJson(QJsonDocument::Compact);
    if (file.open(QIODevice::WriteOnly) && file.write(json) == json.size())
        file.commit();
}

void TrainingPanel::loadRuns()
{
    QFile file(QDir(runStore()).filePath(QStringLiteral("runs.json")));
    if (!file.open(QIODevice::ReadOnly))
        return;
    // A damaged record file costs the run history, never the panel.
    const QJsonArray records = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("runs")).toArray();
    for (const QJsonValue &value : records) {
        const QJsonObject record = value.toObject();
        Run run;
        run.name = record.value(QStringLiteral("name")).toString();
        if (run.name.isEmpty())
            continue;
        run.modelLabel = record.value(QStringLiteral("modelLabel")).toString();
        run.deviceLabel = record.value(QStringLiteral("deviceLabel")).toString();
        run.options = optionsFrom(record.value(QStringLiteral("options")).toObject());
        run.result = resultFrom(record.value(QStringLiteral("result")).toObject());
        const QString checkpoint = record.value(QStringLiteral("checkpoint")).toString();
        const QString path = QDir(runStore()).filePath(checkpoint);
        run.model = !checkpoint.isEmpty() && QFileInfo::exists(path) ? path : QString();
        for (const QJsonValue &step : record.value(QStringLiteral("steps")).toArray())
            run.stepLosses.append(QPointF(step.toArray().at(0).toDouble(), step.toArray().at(1).toDouble()));
        mRuns.append(run);
        mOverlaid.append(false);
        addRunRow(run);
    }
}

} // namespace kiln
