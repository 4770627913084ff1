#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace kiln {

// A Task cell (Insert > Task Cell): a code cell whose Lua a form writes from a
// few settings — the task, a model, the input and the task's options. The
// settings live in the cell's options under "task" and are saved in the file
// as `<!-- kiln:task {...} -->` above the cell's `lua` fence; clearing them
// turns the cell into a plain code cell with the same code.
namespace TaskCell {

// What the form offers for one task.
struct Task
{
    QString name;            // the pipeline's name, "text-classification"
    QString title;           // "Text classification"
    QStringList models;      // small, good models on the Hub, the first the default
    QString defaultInput;
    bool imageInput = false; // the input is an image file
    bool topK = false;       // offers top_k
    bool labels = false;     // offers candidate labels
    bool generation = false; // offers max_new_tokens, sampling and temperature
};

const QList<Task> &tasks();
// The task of that name; nullptr when there is none.
const Task *find(const QString &name);

// The settings of a new task cell for `task`, with its defaults.
QJsonObject defaults(const QString &task);

// The Lua the settings stand for; it calls pipeline() and shows the result.
QString code(const QJsonObject &settings);

// The task a model folder suits, from its config.json (the architecture a
// checkpoint was saved from, NLI labels) and sentence-transformers' files;
// empty when they do not say.
QString guessTask(const QString &folder);

} // namespace TaskCell

} // namespace kiln
