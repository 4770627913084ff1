#include "document/taskcell.h"

#include "document/lualiteral.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace kiln::TaskCell {

const QList<Task> &tasks()
{
    // Small models whose architectures Kiln builds (resources/lua/kiln/hf), so
    // that a first try downloads megabytes, not gigabytes.
    static const QList<Task> list = {
        {QStringLiteral("text-embedding"), QString::fromLatin1(QT_TRANSLATE_NOOP("kiln::TaskCell", "Text embedding")),
         {QStringLiteral("sentence-transformers/all-MiniLM-L6-v2"), QStringLiteral("sentence-transformers/paraphrase-MiniLM-L3-v2"),
          QStringLiteral("BAAI/bge-small-en-v1.5")},
         QStringLiteral("A cat sits on the mat.\nA kitten rests on a rug.\nThe stock market fell today."),
         false, false, false, false},
        {QStringLiteral("text-classification"), QString::fromLatin1(QT_TRANSLATE_NOOP("kiln::TaskCell", "Text classification")),
         {QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english"),
          QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest"), QStringLiteral("SamLowe/roberta-base-go_emotions")},
         QStringLiteral("Kiln made this so much easier than I expected!"), false, true, false, false},
        {QStringLiteral("token-classification"), QString::fromLatin1(QT_TRANSLATE_NOOP("kiln::TaskCell", "Named entities")),
         {QStringLiteral("dslim/bert-base-NER"), QStringLiteral("dslim/distilbert-NER")},
         QStringLiteral("Ada Lovelace worked with Charles Babbage in London."), false, false, false, false},
        {QStringLiteral("fill-mask"), QString::fromLatin1(QT_TRANSLATE_NOOP("kiln::TaskCell", "Fill the mask")),
         {QStringLiteral("distilbert/distilbert-base-uncased"), QStringLiteral("google-bert/bert-base-uncased"),
          QStringLiteral("FacebookAI/roberta-base")},
         QStringLiteral("Paris is the [MASK] of France."), false, true, false, false},
        {QStringLiteral("zero-shot-classification"), QString::fromLatin1(QT_TRANSLATE_NOOP("kiln::TaskCell", "Zero-shot classification")),
         {QStringLiteral("typeform/distilbert-base-uncased-mnli"), QStringLiteral("cross-encoder/nli-distilroberta-base")},
         QStringLiteral("The new phone's battery lasts two days."), false, false, true, false},
        {QStringLiteral("text-generation"), QString::fromLatin1(QT_TRANSLATE_NOOP("kiln::TaskCell", "Text generation")),
         {QStringLiteral("openai-community/gpt2"), QStringLiteral("distilbert/distilgpt2")},
         QStringLiteral("Once upon a time, in a workshop full of kilns,"), false, false, false, true},
        {QStringLiteral("image-classification"), QString::fromLatin1(QT_TRANSLATE_NOOP("kiln::TaskCell", "Image classification")),
         {QStringLiteral("google/vit-base-patch16-224"), QStringLiteral("microsoft/resnet-50")}, QString(), true, true, false, false},
        {QStringLiteral("zero-shot-image-classification"), QString::fromLatin1(QT_TRANSLATE_NOOP("kiln::TaskCell", "Zero-shot image classification")),
         {QStringLiteral("openai/clip-vit-base-patch32")}, QString(), true, false, true, false},
    };
    return list;
}

const Task *find(const QString &name)
{
    for (const Task &task : tasks()) {
        if (task.name == name)
            return &task;
    }
    return nullptr;
}

QJsonObject defaults(const QString &name)
{
    const Task *task = find(name);
    if (!task)
        task = &tasks().constFirst();
    QJsonObject settings{{QStringLiteral("task"), task->name}, {QStringLiteral("model"), task->models.constFirst()},
                         {QStringLiteral("input"), task->defaultInput}, {QStringLiteral("device"), QStringLiteral("cpu")}};
    if (task->topK)
        settings.insert(QStringLiteral("top_k"), 5);
    if (task->labels)
        settings.insert(QStringLiteral("labels"), task->imageInput ? QStringLiteral("a cat, a dog, a car") : QStringLiteral("technology, sports, politics"));
    if (task->generation) {
        settings.insert(QStringLiteral("max_new_tokens"), 40);
        settings.insert(QStringLiteral("do_sample"), false);
        settings.insert(QStringLiteral("temperature"), 1.0);
    }
    return settings;
}

namespace {

QString number(double value)
{
    return QString::number(value, 'g', 12);
}

// "a, b , c" -> {"a", "b", "c"} as a Lua table constructor.
QString labelList(const QString &labels)
{
    QStringList quoted;
    for (const QString &label : labels.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!label.trimmed().isEmpty())
            quoted.append(luaStringLiteral(label.trimmed()));
    }
    return QLatin1Char('{') + quoted.join(QLatin1String(", ")) + QLatin1Char('}');
}

} // namespace

QString code(const QJsonObject &settings)
{
    const Task *task = find(settings.value(QLatin1String("task")).toString());
    if (!task)
        return QStringLiteral("error(%1)").arg(luaStringLiteral(QStringLiteral("this task cell names no task Kiln knows: ")
                                                                + settings.value(QLatin1String("task")).toString()));
    const QString model = settings.value(QLatin1String("model")).toString().trimmed();
    const QString input = settings.value(QLatin1String("input")).toString();
    const QString device = settings.value(QLatin1String("device")).toString(QStringLiteral("cpu"));

    QStringList options{QStringLiteral("device = %1").arg(luaStringLiteral(device))};
    if (task->topK)
        options.append(QStringLiteral("top_k = %1").arg(settings.value(QLatin1String("top_k")).toInt(5)));
    if (task->generation) {
        options.append(QStringLiteral("max_new_tokens = %1").arg(settings.value(QLatin1String("max_new_tokens")).toInt(40)));
        const bool sample = settings.value(QLatin1String("do_sample")).toBool();
        options.append(QStringLiteral("do_sample = %1").arg(sample ? QStringLiteral("true") : QStringLiteral("false")));
        if (sample)
            options.append(QStringLiteral("temperature = %1").arg(number(settings.value(QLatin1String("temperature")).toDouble(1.0))));
    }

    QString lua = QStringLiteral("-- %1 with %2: the form above writes this code.\n").arg(task->title, model);
    const QString make = QStringLiteral("pipeline(%1, %2, {%3})")
                             .arg(luaStringLiteral(task->name), luaStringLiteral(model), options.join(QLatin1String(", ")));
    const QString text = luaStringLiteral(input);
    const QString labels = labelList(settings.value(QLatin1String("labels")).toString());
    if (task->name == QLatin1String("text-embedding")) {
        lua += QStringLiteral("embed = %1\n").arg(make);
        QStringList sentences;
        for (const QString &line : input.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            sentences.append(luaStringLiteral(line.trimmed()));
        lua += QStringLiteral("sentences = {%1}\n").arg(sentences.join(QLatin1String(", ")));
        lua += QStringLiteral("embeddings = embed(sentences)\n");
        lua += QStringLiteral("-- Unit vectors: their dot products are cosine similarities.\n");
        lua += QStringLiteral("show.similarity(embeddings, sentences)\n");
        lua += QStringLiteral("embeddings");
    } else if (task->name == QLatin1String("text-classification")) {
        lua += QStringLiteral("classify = %1\nshow.labels(classify(%2))").arg(make, text);
    } else if (task->name == QLatin1String("token-classification")) {
        lua += QStringLiteral("find_entities = %1\ntext = %2\nshow.entities(text, find_entities(text))").arg(make, text);
    } else if (task->name == QLatin1String("fill-mask")) {
        lua += QStringLiteral("fill = %1\nshow.labels(fill(%2))").arg(make, text);
    } else if (task->name == QLatin1String("zero-shot-classification")) {
        lua += QStringLiteral("classify = %1\nshow.labels(classify(%2, %3))").arg(make, text, labels);
    } else if (task->name == QLatin1String("text-generation")) {
        lua += QStringLiteral("generate = %1\n-- The text streams into the output as it is generated.\nresult = generate(%2)\n"
                              "result.generated_text").arg(make, text);
    } else if (task->name == QLatin1String("image-classification")) {
        lua += QStringLiteral("classify = %1\npath = %2\nshow.image(image.load(path))\nshow.labels(classify(path))").arg(make, text);
    } else if (task->name == QLatin1String("zero-shot-image-classification")) {
        lua += QStringLiteral("classify = %1\npath = %2\nshow.image(image.load(path))\nshow.labels(classify(path, %3))").arg(make, text, labels);
    }
    return lua;
}

QString guessTask(const QString &folder)
{
    if (QFile::exists(folder + QStringLiteral("/modules.json")))
        return QStringLiteral("text-embedding");
    QFile file(folder + QStringLiteral("/config.json"));
    if (!file.open(QIODevice::ReadOnly) || file.size() > (qint64(16) << 20))
        return QString();
    const QJsonObject config = QJsonDocument::fromJson(file.readAll()).object();
    const QString architecture = config.value(QLatin1String("architectures")).toArray().at(0).toString();
    if (architecture.endsWith(QLatin1String("ForSequenceClassification"))) {
        // An NLI model (an "entailment" label) classifies against any labels.
        const QJsonObject labels = config.value(QLatin1String("label2id")).toObject();
        for (auto it = labels.begin(); it != labels.end(); ++it) {
            if (it.key().compare(QLatin1String("entailment"), Qt::CaseInsensitive) == 0)
                return QStringLiteral("zero-shot-classification");
        }
        return QStringLiteral("text-classification");
    }
    if (architecture.endsWith(QLatin1String("ForTokenClassification")))
        return QStringLiteral("token-classification");
    if (architecture.endsWith(QLatin1String("ForMaskedLM")))
        return QStringLiteral("fill-mask");
    if (architecture.endsWith(QLatin1String("LMHeadModel")) || architecture.endsWith(QLatin1String("ForCausalLM")))
        return QStringLiteral("text-generation");
    if (architecture.endsWith(QLatin1String("ForImageClassification")))
        return QStringLiteral("image-classification");
    if (architecture == QLatin1String("CLIPModel"))
        return QStringLiteral("zero-shot-image-classification");
    return QString();
}

} // namespace kiln::TaskCell
